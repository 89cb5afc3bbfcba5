// Keeps the tray icon's tooltip and menu in step with the agent's status; rebuilds the menu only when it changes.
import { Menu, Tray, nativeImage } from 'electron';
import type { AgentStatus } from '../../preload/contract.js';
import { menuTemplate, trayModel, type TrayAction } from './trayModel.js';

export class TrayController {
  private readonly tray: Tray;
  private shown = '';

  /** `iconPath` is a PNG (resources/tray.png); `act` runs a clicked item's action. */
  constructor(
    iconPath: string,
    private readonly act: (action: TrayAction) => void,
  ) {
    this.tray = new Tray(nativeImage.createFromPath(iconPath));
    this.update(undefined);
  }

  update(status: AgentStatus | undefined): void {
    const model = trayModel(status);
    const key = JSON.stringify(model);
    if (key === this.shown) return;
    this.shown = key;
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(model.items, this.act)));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
