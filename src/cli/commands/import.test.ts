import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../main.js';
import type { Io } from '../io.js';

function captureIo(stdin = ''): Io & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, cwd: process.cwd(), isTTY: false, readStdin: async () => stdin, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

describe('meshplane import (in process)', () => {
  const cases: Array<{ name: string; args: string[]; stdin?: string; code: number; err: RegExp; out?: RegExp }> = [
    { name: 'no --aks', args: [], code: 2, err: /error\[usage\]: meshplane import: --aks <file> is required/ },
    { name: 'a positional argument', args: ['aks.json'], code: 2, err: /unexpected argument "aks\.json"/ },
    { name: 'a missing file', args: ['--aks', 'no/such/file.json'], code: 2, err: /error\[source-unreadable\]: cannot read no\/such\/file\.json: ENOENT/ },
    { name: 'stdin that is not JSON', args: ['--aks', '-'], stdin: 'Name  ResourceGroup\n', code: 2, err: /error\[import-invalid\]: - is not JSON/ },
    { name: 'a missing shared ConfigMap dump', args: ['--aks', '-', '--name', 'p', '--shared-configmap', 'no/such.yaml'], stdin: '{"mode": "Disabled"}', code: 2, err: /cannot read no\/such\.yaml: ENOENT[\s\S]*kubectl get configmap -n aks-istio-system/ },
    { name: 'stdin named twice', args: ['--aks', '-', '--shared-configmap', '-'], code: 2, err: /stdin \(-\) can be read once/ },
    { name: 'a profile on stdin', args: ['--aks', '-', '--name', 'p'], stdin: '{"mode": "Disabled"}', code: 0, err: /spec\.cluster\.kubernetesVersion is not set/, out: /\nspec:\n {2}mode: Disabled\n$/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const io = captureIo(c.stdin);
      assert.equal(await main(['import', ...c.args], io), c.code, io.err);
      assert.match(io.err, c.err);
      if (c.out) assert.match(io.out, c.out);
      else assert.equal(io.out, '', 'nothing on stdout when it fails');
    });
  }
});
