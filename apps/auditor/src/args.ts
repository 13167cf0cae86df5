/** Minimal `--flag value` parser: the auditor CLI has few options and no dependency for them. */
export interface ParsedArgs {
  command: string | undefined;
  positional: string[];
  flags: Map<string, string>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2);
      if (inline !== undefined) flags.set(name, inline);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(name, argv[++i]);
      else flags.set(name, 'true');
    } else {
      positional.push(arg);
    }
  }
  return { command: positional.shift(), positional, flags };
}
