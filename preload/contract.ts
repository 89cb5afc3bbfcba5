// The one typed contract between the agent and its clients (CLI, browser UI, Electron): channels, requests, responses.
// Pure types and constants: main/agent implements it, the control API and IPC carry it, the UI consumes it.

export type FolderState = 'idle' | 'scanning' | 'syncing' | 'paused' | 'error' | 'waiting-for-user';
export type EncryptionModeName = 'sse-s3' | 'sse-kms' | 'sse-c-vault' | 'sse-c-key';

export interface FolderStatus {
  id: string;
  localPath: string;
  state: FolderState;
  /** Why the folder is paused, in error, or waiting (e.g. "the folder's root is missing"). */
  reason?: string;
  store: string;
  bucket: string;
  prefix: string;
  mode: EncryptionModeName;
  kmsKeyId?: string;
  pendingUp: number;
  pendingDown: number;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second of the running transfers. */
  rate: number;
  /** While scanning: files looked at and bytes hashed so far. */
  scan?: { filesSeen: number; filesHashed: number; bytesHashed: number };
  /** ISO time of the last complete sync, if any. */
  lastSyncAt?: string;
  /** Files that failed in the last cycle, with a reason (no secrets). */
  errors: { path: string; message: string }[];
  unresolvedConflicts: number;
  watchMode: 'native' | 'polling' | 'off';
  /** Why the folder is watched by polling (e.g. the OS limit on watches was reached), for the user. */
  watchReason?: string;
  /** Set in waiting-for-user: the deletions that exceeded the safety threshold. */
  pendingDeletions?: number;
  /** A long job on the folder's objects, under way (the folder does not sync meanwhile). */
  job?: FolderJobStatus;
  /** A mode change that is asked for and not finished (it resumes when the folder starts). */
  pendingMode?: EncryptionModeName;
}

/** rekey: new per-file keys (sse-c-vault); change-mode: every object re-encrypted into another mode. */
export type FolderJobKind = 'rekey' | 'change-mode';

export interface FolderJobStatus {
  kind: FolderJobKind;
  /** Objects handled so far, of `total`. */
  done: number;
  total: number;
}

export interface RekeyRequest {
  /** One sse-c-vault folder; absent: every sse-c-vault folder. */
  folderId?: string;
  /** Only keys created more than this many days ago; absent or 0: every key. */
  olderThanDays?: number;
}

/** One object a job could not handle, and why (never a key's bytes). */
export interface JobError {
  folderId: string;
  key: string;
  message: string;
}

/** Counts over the folders covered; a failed object keeps its old key and is tried again by the next run. */
export interface RekeyResult {
  rekeyed: number;
  skipped: number;
  failed: number;
  /** The first failures (at most 20). */
  errors: JobError[];
}

export interface SetModeRequest {
  folderId: string;
  mode: EncryptionModeName;
  /** sse-kms: the KMS key; absent means the store's aws/s3 managed key. */
  kmsKeyId?: string;
  /** sse-c-key: a file holding the new key (32 raw bytes, 64 hex digits or base64). */
  sseCKeyFile?: string;
}

export interface SetModeResult {
  /** The folder's mode after the call: the new one when `completed`. */
  mode: EncryptionModeName;
  /** Every object is in the new mode and the folder syncs in it; false: the change stays pending (failures, or the agent stopping). */
  completed: boolean;
  reencrypted: number;
  skipped: number;
  failed: number;
  /** The first failures (at most 20). */
  errors: JobError[];
}

export interface AgentStatus {
  vault: { exists: boolean; unlocked: boolean };
  store?: { httpUrl: string; httpsUrl?: string; fingerprint256?: string };
  folders: FolderStatus[];
}

export interface AddFolderRequest {
  localPath: string;
  mode?: EncryptionModeName;
  kmsKeyId?: string;
  /** sse-c-key: a file holding the key (32 raw bytes, 64 hex digits or base64); read again at each start. */
  sseCKeyFile?: string;
  /** sse-c-key: keep the key in the vault instead of reading the file at each start. */
  rememberKey?: boolean;
  /** 'embedded' or an http(s) URL of a remote S3 endpoint. */
  store?: string;
  bucket?: string;
  prefix?: string;
  region?: string;
  pathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  caCertPem?: string;
  insecureTls?: boolean;
}

export interface ConflictInfo {
  id: number;
  folderId: string;
  path: string;
  conflictPath: string;
  kind: string;
  time: string;
}

export interface MasterKeyInfo {
  id: string;
  createdAt: string;
  current: boolean;
}

/** First run: the vault is created and unlocked; the recovery key is shown once and never again. */
export interface VaultCreated {
  /** The recovery key in groups (to write down); the agent keeps no copy it can show later. */
  recoveryKey: string;
}

/** One version of the embedded store's SSE-S3 master key. */
export interface StoreKeyVersionInfo {
  version: number;
  createdAt: string;
  current: boolean;
}

export interface StoreKeysInfo {
  versions: StoreKeyVersionInfo[];
  /** Automatic rotation period in days; absent: rotation is manual. */
  rotationPeriodDays?: number;
  /** When the next automatic rotation falls due (ISO), if there is one. */
  nextRotationAt?: string;
}

export type KmsKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

export interface KmsKeyInfo {
  keyId: string;
  arn: string;
  aliases: string[];
  description: string;
  state: KmsKeyState;
  createdAt: string;
  /** AWS-managed (aws/s3): rotates yearly, cannot be disabled or deleted. */
  awsManaged: boolean;
  /** Set while PendingDeletion. */
  deletionDate?: string;
  rotationEnabled: boolean;
  rotationPeriodDays?: number;
  lastRotatedAt?: string;
  nextRotationAt?: string;
  /** How many key materials the key holds (1 + rotations). */
  materials: number;
}

/** What a KMS key's loss would make unreadable: asked before disabling it or scheduling its deletion. */
export interface KmsKeyImpact {
  keyId: string;
  /** Objects in the embedded store sealed under the key. */
  objects: number;
  /** Folders whose mode uses the key. */
  folders: { id: string; localPath: string }[];
}

/** Which events the access history shows; every field narrows, absent fields do not. */
export interface HistoryFilter {
  /** ISO times: since inclusive, until exclusive. */
  since?: string;
  until?: string;
  category?: 's3' | 'kms' | 'admin' | 'sync';
  operation?: string;
  bucket?: string;
  /** Object keys starting with this. */
  keyPrefix?: string;
  principal?: string;
  outcome?: 'success' | 'failure' | 'denied';
  /** A KMS key ARN, or store-master-key. */
  keyId?: string;
  /** Case-insensitive search over operation, bucket, object key, principal, key id, request id, source address, error code. */
  text?: string;
}

/** One event of the access history as the UI shows it (never a secret: the log holds none). */
export interface HistoryEvent {
  seq: number;
  time: string;
  category: 's3' | 'kms' | 'admin' | 'sync';
  operation: string;
  outcome: 'success' | 'failure' | 'denied';
  requestId?: string;
  principal?: string;
  sourceIp?: string;
  userAgent?: string;
  bucket?: string;
  objectKey?: string;
  sseMode?: string;
  keyId?: string;
  keyVersion?: string;
  bytes?: number;
  httpStatus?: number;
  errorCode?: string;
  errorMessage?: string;
  details?: Record<string, unknown>;
  /** The event's link in the hash chain (hex). */
  hash: string;
}

export interface HistoryPage {
  events: HistoryEvent[];
  /** Pass back as `cursor` for the next (older) page. */
  nextCursor?: string;
}

export interface HistoryHistogram {
  /** The first bucket's start (ISO) and each bucket's width. */
  from: string;
  bucketMs: number;
  /** Events per bucket, and of those the failed or denied ones. */
  counts: number[];
  failures: number[];
}

export interface HistoryVerification {
  ok: boolean;
  /** Events checked. */
  checked: number;
  /** The first event that does not verify, and why. */
  firstBadSeq?: number;
  reason?: string;
  verifiedAt: string;
}

/** One page of an export: JSON lines, one event per line. */
export interface HistoryExportPage {
  lines: string;
  count: number;
  nextCursor?: string;
}

export type ConflictChoice = 'mine' | 'theirs' | 'both';

export type ThemeChoice = 'system' | 'light' | 'dark';

/** The user's settings, shared by the browser UI and the desktop app. */
export interface AppSettings {
  /** KiB/s; 0 means unlimited. */
  uploadKiBps: number;
  downloadKiBps: number;
  /** Desktop app only: start with the session (the browser UI shows it, Electron applies it). */
  startAtLogin: boolean;
  notifications: boolean;
  /** Lock the vault after this many minutes without a request from the user; 0: never. */
  lockAfterIdleMinutes: number;
  /** Desktop app only: keep the passphrase sealed by the OS key store and unlock at start. */
  rememberUnlock: boolean;
  theme: ThemeChoice;
}

export interface IgnoreRules {
  /** The folder's .cofferignore, as written (gitignore syntax). */
  text: string;
  /** Patterns ignored unless the file re-includes them with '!'. */
  defaults: string[];
  /** Coffer's own names, always ignored. */
  reserved: string[];
}

/** Every channel: its request and its response. */
export interface Contract {
  'status.get': { request: Record<string, never>; response: AgentStatus };
  'folders.add': { request: AddFolderRequest; response: FolderStatus };
  'folders.pause': { request: { folderId?: string }; response: null };
  'folders.resume': { request: { folderId?: string }; response: null };
  'folders.syncNow': { request: { folderId?: string }; response: null };
  'folders.remove': { request: { folderId: string }; response: null };
  'folders.approveDeletions': { request: { folderId: string }; response: null };
  /** With the passphrase, or with the recovery key as a key file holds it (`coffer vault unlock --key-file`). */
  'vault.unlock': { request: { passphrase: string } | { recoveryKey: string }; response: null };
  'vault.lock': { request: Record<string, never>; response: null };
  'keys.list': { request: Record<string, never>; response: { vault: MasterKeyInfo[] } };
  'keys.rotate': { request: Record<string, never>; response: { id: string; rewrapped: number } };
  'keys.rekey': { request: RekeyRequest; response: RekeyResult };
  'folders.setMode': { request: SetModeRequest; response: SetModeResult };
  'conflicts.list': { request: { folderId?: string }; response: ConflictInfo[] };
  'conflicts.resolve': { request: { id: number; keep: ConflictChoice }; response: null };
  'vault.create': { request: { passphrase: string }; response: VaultCreated };
  'vault.recover': { request: { recoveryKey: string; passphrase: string }; response: null };
  'keys.store': { request: Record<string, never>; response: StoreKeysInfo };
  'keys.rotateStore': { request: Record<string, never>; response: { version: number } };
  'kms.list': { request: Record<string, never>; response: KmsKeyInfo[] };
  'kms.create': { request: { alias?: string; description?: string }; response: KmsKeyInfo };
  'kms.rotate': { request: { keyId: string }; response: KmsKeyInfo };
  'kms.setRotation': { request: { keyId: string; enabled: boolean; periodDays?: number }; response: KmsKeyInfo };
  'kms.impact': { request: { keyId: string }; response: KmsKeyImpact };
  'kms.disable': { request: { keyId: string }; response: KmsKeyInfo };
  'kms.enable': { request: { keyId: string }; response: KmsKeyInfo };
  'kms.scheduleDeletion': { request: { keyId: string; pendingWindowDays?: number }; response: KmsKeyInfo };
  'kms.cancelDeletion': { request: { keyId: string }; response: KmsKeyInfo };
  'history.list': { request: { filter?: HistoryFilter; cursor?: string; limit?: number }; response: HistoryPage };
  'history.histogram': { request: { filter?: HistoryFilter; buckets?: number }; response: HistoryHistogram };
  'history.verify': { request: Record<string, never>; response: HistoryVerification };
  'history.export': { request: { filter?: HistoryFilter; cursor?: string }; response: HistoryExportPage };
  'settings.get': { request: Record<string, never>; response: AppSettings };
  'settings.set': { request: Partial<AppSettings>; response: AppSettings };
  'folders.getIgnore': { request: { folderId: string }; response: IgnoreRules };
  'folders.setIgnore': { request: { folderId: string; text: string }; response: IgnoreRules };
}

export type Channel = keyof Contract;
export type RequestOf<C extends Channel> = Contract[C]['request'];
export type ResponseOf<C extends Channel> = Contract[C]['response'];

export const CHANNELS = [
  'status.get',
  'folders.add',
  'folders.pause',
  'folders.resume',
  'folders.syncNow',
  'folders.remove',
  'folders.approveDeletions',
  'vault.unlock',
  'vault.lock',
  'keys.list',
  'keys.rotate',
  'keys.rekey',
  'folders.setMode',
  'conflicts.list',
  'conflicts.resolve',
  'vault.create',
  'vault.recover',
  'keys.store',
  'keys.rotateStore',
  'kms.list',
  'kms.create',
  'kms.rotate',
  'kms.setRotation',
  'kms.impact',
  'kms.disable',
  'kms.enable',
  'kms.scheduleDeletion',
  'kms.cancelDeletion',
  'history.list',
  'history.histogram',
  'history.verify',
  'history.export',
  'settings.get',
  'settings.set',
  'folders.getIgnore',
  'folders.setIgnore',
] as const satisfies readonly Channel[];

// Compile-time check that CHANNELS lists every channel of the contract exactly.
type Missing = Exclude<Channel, (typeof CHANNELS)[number]>;
const everyChannelListed: Missing extends never ? true : Missing = true;
void everyChannelListed;

/** What crosses any transport: a result or a typed error, never a thrown exception (IPC keeps only messages). */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** The agent's side: one async function per channel. */
export type ContractHandlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

/** One method of the API the UI sees: the channel's request in (optional when none of its fields is required), an envelope out. */
export type ApiMethod<C extends Channel> = {} extends RequestOf<C>
  ? (request?: RequestOf<C>) => Promise<Envelope<ResponseOf<C>>>
  : (request: RequestOf<C>) => Promise<Envelope<ResponseOf<C>>>;

/** The part of a channel's name before its dot: 'folders' for 'folders.add'. */
export type ChannelGroup = Channel extends infer C ? (C extends `${infer G}.${string}` ? G : never) : never;

/**
 * The API the UI calls, the same in Electron (window.coffer, over IPC) and in a browser (over the
 * control API): `api.folders.add(request)` carries 'folders.add'. Methods answer with an envelope
 * and never reject.
 */
export type CofferApi = {
  readonly [G in ChannelGroup]: { readonly [C in Channel as C extends `${G}.${infer M}` ? M : never]: ApiMethod<C> };
};

/** Carries one call to the agent: IPC in Electron, HTTP in a browser. It may reject when the carrier itself fails. */
export interface ContractTransport {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>>;
}
