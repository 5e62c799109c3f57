/**
 * How far the revision catalog's knowledge reaches. The catalog is read from snapshots of the AKS
 * release notes and support policy (catalog/revisions.yaml `sources`); AKS keeps releasing minors
 * after them. Two support answers need the catalog to know every newer revision: "one of the two
 * newest revisions" (catalog.ts keptByTwoNewest) and an end of life the policy only gives as
 * expected (AKS fixes it by announcement). This module works out the last day the catalog can
 * vouch for those answers, from the catalog's own dates: the next minor is expected one median
 * release gap after the newest one (never before the snapshot date), and the support policy ends
 * an older revision's support no sooner than six weeks after a new minor rolls out
 * (catalog/support-policy.yaml). Pure: the catalog in, dates out; the clock stays with the caller.
 */
import { revisionMinor, type Catalog, type RevisionEntry } from './catalog.js';
import { readDataFile } from './data-file.js';

/** The support policy constants of catalog/support-policy.yaml. */
export interface SupportPolicy {
  /** Days the policy keeps revision n-2 supported after a new minor n starts rolling out. */
  deprecationNoticeDays: number;
}

/** Where the catalog's knowledge ends. */
export interface CatalogHorizon {
  /** The date the catalog's knowledge reaches (YYYY-MM-DD): the oldest of its source snapshots. */
  asOf: string;
  /** Where {@link asOf} comes from, in words: the oldest source snapshot (`Azure/AKS 8d1c890`), or the newest release it records. */
  basis: string;
  /** The newest revision the catalog knows. */
  newest: string;
  /** The median number of days between two consecutive minors' releases; undefined with fewer than two dated revisions. */
  cadenceDays?: number;
  /** When the next minor after {@link newest} was expected: one cadence after its release, never before {@link asOf}. */
  nextExpected: string;
  /** The support policy's notice, in days, between a new minor and the end of an older revision (catalog/support-policy.yaml). */
  noticeDays: number;
  /** The last day the catalog vouches for answers that need it to know every newer revision: {@link nextExpected} plus {@link noticeDays}. */
  vouchedUntil: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

let policy: SupportPolicy | undefined;

/** Loads (once) catalog/support-policy.yaml; a value that is not a whole number of days is an error naming the file. */
export function loadSupportPolicy(): SupportPolicy {
  if (policy) return policy;
  const data = readDataFile<Partial<SupportPolicy>>('support-policy.yaml');
  const days = data?.deprecationNoticeDays;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 0) {
    throw new Error(`catalog/support-policy.yaml: deprecationNoticeDays must be a whole number of days (got ${JSON.stringify(days)}); restore it from the AKS support policy ("Supported revisions")`);
  }
  policy = { deprecationNoticeDays: days };
  return policy;
}

/** `date` (YYYY-MM-DD) moved by `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

const isDate = (d: string | undefined): d is string => typeof d === 'string' && DATE.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));

/** The median of `values` (sorted copy), rounded to a whole day; undefined when empty. */
export function medianDays(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return Math.round(s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2);
}

/**
 * The catalog's horizon, or undefined when it records no dated revision. The date of its
 * knowledge is the oldest of its source snapshots (each source vouches only up to its own
 * snapshot); a catalog without `sources` (an older Meshplane's, or one built in memory) is taken
 * to know up to the newest release date it records, the latest day it has evidence of.
 */
export function catalogHorizon(catalog: Pick<Catalog, 'revisions' | 'sources'>, support: SupportPolicy = loadSupportPolicy()): CatalogHorizon | undefined {
  const dated = catalog.revisions.filter((r) => isDate(r.released) && Number.isFinite(revisionMinor(r.name))).sort((a, b) => revisionMinor(a.name) - revisionMinor(b.name));
  const newest = dated[dated.length - 1];
  if (!newest) return undefined;
  const snapshots = (catalog.sources ?? []).filter((s) => isDate(s.date)).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const oldest = snapshots[0];
  const recorded = dated.flatMap((r) => [r.released, ...r.patches.map((p) => p.released)]).filter(isDate).sort();
  const asOf = oldest ? oldest.date : (recorded[recorded.length - 1] as string);
  const basis = oldest ? `${oldest.repo} ${oldest.commit.slice(0, 7)}` : 'the newest release it records';
  const gaps = dated.slice(1).map((r, i) => daysBetween((dated[i] as RevisionEntry).released, r.released));
  const cadenceDays = medianDays(gaps);
  const due = cadenceDays === undefined ? asOf : addDays(newest.released, cadenceDays);
  const nextExpected = due > asOf ? due : asOf;
  return { asOf, basis, newest: newest.name, ...(cadenceDays === undefined ? {} : { cadenceDays }), nextExpected, noticeDays: support.deprecationNoticeDays, vouchedUntil: addDays(nextExpected, support.deprecationNoticeDays) };
}

/** True when `now` (YYYY-MM-DD) is past the last day the catalog vouches for (never for a catalog without dates). */
export function pastHorizon(horizon: CatalogHorizon | undefined, now: string): boolean {
  return horizon !== undefined && now > horizon.vouchedUntil;
}

/**
 * The last day the catalog vouches for the support of `entry`. Every revision older than the
 * newest it knows loses "one of the two newest" as soon as one more minor rolls out (it becomes
 * n-2, and the policy keeps n-2 for six weeks after n): {@link CatalogHorizon.vouchedUntil}. The
 * newest revision it knows becomes n-2 only with the second minor after it, expected one release
 * gap later, so its support is vouched for that much longer (without a cadence, no longer).
 */
export function vouchedUntilFor(h: CatalogHorizon, entry: Pick<RevisionEntry, 'name'>): string {
  const newer = revisionMinor(h.newest) - revisionMinor(entry.name);
  return newer > 0 || h.cadenceDays === undefined ? h.vouchedUntil : addDays(h.vouchedUntil, h.cadenceDays);
}

/**
 * True when the catalog's support answer for `entry` on `now` rests on knowledge it cannot vouch
 * for: the revision's end of life is only expected (so it may have been announced otherwise, or it
 * is kept only as one of the two newest), it is released, and `now` is past the day the catalog
 * vouches for it ({@link vouchedUntilFor}).
 */
export function supportUnvouched(horizon: CatalogHorizon | undefined, entry: RevisionEntry, now: string): boolean {
  return horizon !== undefined && entry.endOfLifeEstimated === true && now >= entry.released && now > vouchedUntilFor(horizon, entry);
}

/** Why the catalog cannot vouch for `entry`'s support after {@link vouchedUntilFor}, in words every report shares. */
export function horizonReason(h: CatalogHorizon, entry: Pick<RevisionEntry, 'name'>): string {
  const cadence = h.cadenceDays === undefined ? '' : ` (its minors came a median ${h.cadenceDays} days apart)`;
  const until = vouchedUntilFor(h, entry);
  const due =
    until === h.vouchedUntil
      ? `a minor newer than ${h.newest} was due by ${h.nextExpected}`
      : `the second minor after ${h.newest}, which makes it n-2, was due by ${addDays(h.nextExpected, h.cadenceDays ?? 0)}`;
  return `Meshplane's revision catalog knows AKS up to ${h.asOf} (${h.basis}); ${due}${cadence} and the support policy keeps a revision two minors behind the newest only ${h.noticeDays} days after the newest rolls out, so the catalog cannot vouch for this after ${until}`;
}

/** How to get a catalog that knows the newer revisions, in words every report shares. */
export const REFRESH_CATALOG =
  'upgrade Meshplane to a release with a newer revision catalog (`meshplane version` shows how far its knowledge reaches), or refresh catalog/revisions.yaml from the AKS release notes and support policy; `az aks mesh get-revisions --location <location>` lists what AKS supports today';
