import type { Io } from '../io.js';
/** placeholder */
export async function runUpgradeStatus(_argv: string[], _io: Io): Promise<number> { return 2; }
