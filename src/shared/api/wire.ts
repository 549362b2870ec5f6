import type { ApiMethod, DataChangedEvent, SyncState } from './contract';

/**
 * The wire between the renderer and the main side, for both shells: the method list, the IPC
 * channel names and event names, the bridge's error prefix (Electron), and the web host's key
 * header, key parameter and event messages (browser). It lives here because the preload, the
 * main side and the renderer all speak it and none of them may import another.
 *
 * Kept free of runtime imports (the sandboxed preload cannot load zod); the type below fails
 * to compile when a method of ./contract.ts is missing here, and a unit test compares the list
 * with API_METHODS.
 */
export const PRELOAD_METHODS = [
  'getSession',
  'login',
  'logout',
  'listQueue',
  'getAccount',
  'findAccountByPhone',
  'logOutcome',
  'logCallAttempt',
  'addNote',
  'flagContactPoint',
  'setCallback',
  'setDebtorPreferences',
  'checkContact',
  'listMessageTemplates',
  'sendMessage',
  'getOrgCompliance',
  'saveOrgCompliance',
  'listComplianceAudit',
  'listComplianceViolations',
  'getActivityReport',
  'getMyDay',
  'exportDebtorData',
  'listHardship',
  'decideHardship',
  'listOrgTemplates',
  'createOrgTemplate',
  'updateOrgTemplate',
  'listTemplateAudit',
  'quoteNegotiation',
  'proposePlan',
  'listMyApprovals',
  'markApprovalsSeen',
  'listApprovals',
  'decideApproval',
  'listMissedCallbacks',
  'listUnknownReplies',
  'markReplyHandled',
  'listUsers',
  'listTeams',
  'createUser',
  'updateUser',
  'listWipeOrders',
  'listRiskModels',
  'orderWipe',
  'getPortalLink',
  'revokePortalLink',
  'listStrategies',
  'createStrategy',
  'updateStrategy',
  'simulateStrategy',
  'getStrategyResults',
  'getSegmentRules',
  'previewSegments',
  'saveSegmentRules',
  'setPause',
  'getMyPresence',
  'reportCall',
  'getLiveBoard',
  'getAgentTimeline',
  'saveLiveSettings',
  'getContactCosts',
  'saveContactCosts',
  'getMessagingConfig',
  'saveMessagingConfig',
  'issueReceipt',
  'voidReceipt',
  'listReceipts',
  'receiptPdf',
  'getHandover',
  'getCashReconciliation',
  'recordDeposit',
  'getSyncState',
  'syncNow',
  'getSettings',
  'saveSettings',
  'getSipCredentials',
] as const satisfies readonly ApiMethod[];

type Missing = Exclude<ApiMethod, (typeof PRELOAD_METHODS)[number]>;
export const ALL_METHODS_COVERED: [Missing] extends [never] ? true : { missing: Missing } = true;

/** Electron IPC: one channel per method, two event channels pushed by the main side. */
export const EVENT_SYNC_STATE = 'event:syncState';
export const EVENT_DATA_CHANGED = 'event:dataChanged';
export const channelOf = (m: ApiMethod) => `api:${m}` as const;
/** contextBridge keeps only an error's message: a failure travels as `WorkstationError:{json}`. */
export const BRIDGE_ERROR_PREFIX = 'WorkstationError:';

/** Web host: header and WebSocket query parameter carrying the per-launch key. */
export const KEY_HEADER = 'x-cobranza-key';
export const KEY_PARAM = 'key';
/** Web host: what the /events WebSocket sends. */
export type HostEvent = { type: 'syncState'; state: SyncState } | { type: 'dataChanged'; event: DataChangedEvent };

/**
 * Electron only, beside the API: the shell's own bridge (`window.cobranzaShell`) for updates.
 * The main side downloads an update and says so; the renderer, which knows whether a call is
 * on, offers it to the agent between calls; only the agent's click installs it.
 */
export type UpdateState = { status: 'idle' } | { status: 'ready'; version: string };
export const SHELL_UPDATE_STATE = 'shell:updateState';
export const SHELL_GET_UPDATE_STATE = 'shell:getUpdateState';
export const SHELL_INSTALL_UPDATE = 'shell:installUpdate';
export interface ShellBridge {
  getUpdateState(): Promise<UpdateState>;
  onUpdateState(listener: (state: UpdateState) => void): () => void;
  /** Quits and installs the downloaded update; false when none is ready. */
  installUpdate(): Promise<boolean>;
}
