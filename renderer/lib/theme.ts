// The theme: the OS's light or dark by default, or the user's fixed choice.
import type { ThemeChoice } from '../../preload/contract.js';

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}
