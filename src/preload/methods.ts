import type { ApiMethod } from '../shared/api/contract';

/**
 * The allowlist of IPC channels the preload exposes (`api:<method>`), one per API method.
 * Kept free of runtime imports (the sandboxed preload cannot load zod); the type below fails
 * to compile when a method of src/shared/api/contract.ts is missing here, and a unit test
 * compares the list with API_METHODS.
 */
export const PRELOAD_METHODS = [
  'getSession', 'login', 'logout',
  'listQueue', 'getAccount', 'findAccountByPhone',
  'logOutcome', 'logCallAttempt', 'addNote', 'flagContactPoint', 'setCallback', 'setDebtorPreferences',
  'checkContact',
  'listMessageTemplates', 'sendMessage', 'getOrgCompliance', 'saveOrgCompliance', 'listComplianceAudit',
  'listComplianceViolations', 'getActivityReport', 'getMyDay',
  'listOrgTemplates', 'createOrgTemplate', 'updateOrgTemplate', 'listTemplateAudit',
  'quoteNegotiation', 'proposePlan', 'listMyApprovals', 'markApprovalsSeen', 'listApprovals', 'decideApproval', 'listMissedCallbacks',
  'listHardship', 'decideHardship',
  'listUsers', 'listTeams', 'createUser', 'updateUser',
  'getSyncState', 'syncNow',
  'getSettings', 'saveSettings', 'getSipCredentials',
] as const satisfies readonly ApiMethod[];

type Missing = Exclude<ApiMethod, (typeof PRELOAD_METHODS)[number]>;
export const ALL_METHODS_COVERED: [Missing] extends [never] ? true : { missing: Missing } = true;

export const EVENT_SYNC_STATE = 'event:syncState';
export const EVENT_DATA_CHANGED = 'event:dataChanged';
export const BRIDGE_ERROR_PREFIX = 'WorkstationError:';
export const channelOf = (m: ApiMethod) => `api:${m}` as const;
