'use strict';
// The floor of a generate handed to a Meshplane server (the client-floor figure of `npm run
// bench`): a bare node:http client that reads every file of the source, posts them to the same
// server the server-generate figure uses (POST /v1/render, the request body Meshplane's client
// sends, with no variables) and prints the manifests of the answer. None of the CLI runs: no
// argument or source checks, no code cache, no fallback to rendering in-process, no report on
// stderr. The server does the same work for it as for Meshplane's client (the intent checks and
// every guardrail on each request, the render from its answer cache). So the ratio of this
// figure to `node -e 0` is what the server-generate target has to share with the client itself.
//
// Usage: MESHPLANE_TOKEN=<token> node client-floor.cjs <server URL> <source dir> <date YYYY-MM-DD>
const { readdirSync, readFileSync, writeSync } = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const [server, sourceDir, now] = process.argv.slice(2);

/** Every regular file below `dir` as [path relative to the source, text], in name order. */
function filesBelow(dir, rel = '') {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const name = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...filesBelow(path.join(dir, e.name), name));
    else if (e.isFile()) out.push([name, readFileSync(path.join(dir, e.name), 'utf8')]);
  }
  return out;
}

const body = Buffer.from(JSON.stringify({ files: Object.fromEntries(filesBelow(sourceDir)), env: {}, options: { format: 'yaml', now } }), 'utf8');
const request = http.request(new URL('v1/render', server.endsWith('/') ? server : `${server}/`), {
  method: 'POST',
  agent: false,
  headers: {
    'content-type': 'application/json',
    accept: 'application/vnd.meshplane.result+json',
    authorization: `Bearer ${process.env.MESHPLANE_TOKEN}`,
    connection: 'close',
    'content-length': String(body.length),
  },
});
request.on('error', (err) => {
  process.stderr.write(`client-floor: ${err.message}\n`);
  process.exit(2);
});
request.on('response', (response) => {
  const chunks = [];
  response.on('data', (c) => chunks.push(c));
  response.on('end', () => {
    const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (response.statusCode !== 200 || typeof answer.output !== 'string') {
      process.stderr.write(`client-floor: HTTP ${response.statusCode} without manifests\n`);
      process.exit(2);
    }
    const out = Buffer.from(answer.output, 'utf8');
    for (let off = 0; off < out.length; ) off += writeSync(1, out, off);
    process.exit(0);
  });
});
request.end(body);
