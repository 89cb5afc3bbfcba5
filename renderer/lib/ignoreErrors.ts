// Points at the .cofferignore line the agent refused: its InvalidIgnoreRule message starts "line N: reason".

/** The 1-based line number an InvalidIgnoreRule message names, or undefined when it names none. */
export function refusedLine(message: string): number | undefined {
  const match = /^line (\d+):/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** Line `number` (1-based) of `text`, split as the agent splits it (LF or CRLF); undefined past the end. */
export function lineOf(text: string, number: number): string | undefined {
  return text.split(/\r?\n/)[number - 1];
}
