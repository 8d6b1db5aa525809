// The config workflow's public functions and types (pt config propose … audit, pt serve's /configs routes).
export {
  applyConfig,
  approveConfig,
  checkConfigFiles,
  configAudit,
  listConfigProposals,
  mergeConfig,
  proposeConfig,
  readConfigFolder,
  rollbackConfig,
  type ApplyInput,
  type ApplyResult,
  type ApproveInput,
  type ApproveResult,
  type AuditQuery,
  type CheckResult,
  type ConfigAuditResult,
  type MergeInput,
  type MergeResult,
  type ProposeInput,
  type ProposeResult,
  type RollbackInput,
  type RollbackResult,
} from './configFlow.js';
export { configChecksum, isConfigPath } from './configFiles.js';
export { highRiskReason } from './changeRisk.js';
export type * from './flowTypes.js';
