// The single owner the embedded store reports in listings (it has one account).
export const OWNER = { ID: '02d6176db174dc93cb1b899f7c6078f08654445fe8cf1b6ce98d8855f66bdbf4', DisplayName: 'coffer' };
