// Keeps the first-run screens in place until they finish: the vault exists as soon as it is created, but the recovery-key check and the first folder still follow.

/** `holding` is set just before the vault is created or recovered here, and cleared when the user is done. */
export const firstRun = $state({ holding: false });
