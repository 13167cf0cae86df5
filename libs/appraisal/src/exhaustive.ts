/**
 * Exhaustiveness at compile time. A command of an unknown type can still arrive at runtime
 * (JSON from outside), so decide refuses it loudly; evolve ignores unknown event types instead,
 * because history written by a newer version must still replay.
 */
export function unknownCommand(command: never): never {
  throw new Error(`Unknown command type: ${String((command as { type?: unknown }).type)}`);
}

export function unreachable(value: never, what: string): never {
  throw new Error(`Unreachable ${what}: ${String(value)}`);
}

export const ignoreUnknownEvent = <S>(state: S, _event: never): S => state;
