/**
 * The aims of issue 10, printed beside the figures as met / not met. Never asserted anywhere:
 * they describe this 2-core machine's run, which other work shares, not a property of the code.
 */
export interface Aim {
  aim: string;
  measured: string;
  /** undefined: the figure was not taken in this run (the reason is in `measured`). */
  met: boolean | undefined;
}

export function printAims(aims: Aim[], out: NodeJS.WritableStream = process.stdout): void {
  out.write('\nAgainst the aims of issue 10 (this machine, this run; never asserted in tests):\n');
  const width = Math.max(...aims.map((a) => a.aim.length));
  for (const a of aims) {
    const verdict = a.met === undefined ? 'not measured' : a.met ? 'met' : 'not met';
    out.write(`  ${a.aim.padEnd(width)}  ${verdict.padEnd(12)}  ${a.measured}\n`);
  }
}
