// The short name a folder goes by in menus and notifications: the last part of its local path.

/** 'Documents' for '/home/ana/Documents/' or 'C:\\Users\\ana\\Documents'; the whole path when it has no last part. */
export function folderName(localPath: string): string {
  const parts = localPath.split(/[\\/]+/).filter((part) => part !== '');
  return parts.at(-1) ?? localPath;
}
