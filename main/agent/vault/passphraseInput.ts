// Where the `coffer vault` commands get passphrases: an environment variable for scripts, else a hidden prompt on a terminal.
import { assertNewPassphrase } from '../../core/keys/vault/index.js';

export const PASSPHRASE_ENV = 'COFFER_PASSPHRASE';
export const NEW_PASSPHRASE_ENV = 'COFFER_NEW_PASSPHRASE';

/** Asks a question and returns the answer without showing it; rejects when there is no terminal. */
export type HiddenPrompt = (question: string) => Promise<string>;

export interface PassphraseInput {
  env: NodeJS.ProcessEnv;
  prompt: HiddenPrompt;
}

/**
 * Reads a line from a terminal with echo off (raw mode: each key arrives as typed and nothing is
 * printed back). Backspace edits; Ctrl-C cancels. Rejects at once without a terminal, so a script
 * that forgot the environment variable fails instead of hanging.
 */
export function terminalPrompt(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): HiddenPrompt {
  return (question) =>
    new Promise((resolve, reject) => {
      if (!input.isTTY) {
        reject(new Error(`no passphrase: set ${PASSPHRASE_ENV} (and ${NEW_PASSPHRASE_ENV} where a new one is asked for) or run in a terminal`));
        return;
      }
      output.write(question);
      let typed = '';
      const finish = (outcome: () => void): void => {
        input.off('data', onData);
        input.setRawMode(false);
        input.pause();
        output.write('\n');
        outcome();
      };
      const onData = (chunk: string): void => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(() => resolve(typed));
          if (ch === '\u0003') return finish(() => reject(new Error('cancelled')));
          if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
          else if (ch >= ' ') typed += ch;
        }
      };
      input.setRawMode(true);
      input.setEncoding('utf8');
      input.on('data', onData);
      input.resume();
    });
}

/** The passphrase of an existing vault: the environment's, else asked once. */
export async function existingPassphrase(source: PassphraseInput, question = 'Vault passphrase: '): Promise<string> {
  return fromEnv(source, PASSPHRASE_ENV) ?? (await source.prompt(question));
}

/** An empty variable counts as unset: no passphrase is empty, and `VAR=` is how scripts clear one. */
function fromEnv(source: PassphraseInput, name: string): string | undefined {
  const value = source.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * A new passphrase: the environment's (`envName`), else asked twice, which must match. RangeError
 * under 8 characters; the value is never echoed in a message.
 */
export async function newPassphrase(source: PassphraseInput, envName: string, question = 'New vault passphrase: '): Promise<string> {
  const given = fromEnv(source, envName);
  if (given !== undefined) {
    assertNewPassphrase(given);
    return given;
  }
  const first = await source.prompt(question);
  assertNewPassphrase(first);
  const second = await source.prompt('Repeat it: ');
  if (second !== first) throw new Error('the two passphrases differ; nothing was changed');
  return first;
}
