// The config workflow's records (docs/config-workflow.md): a proposal and its state, the applied versions.
import type { Violation } from '../config/violation.js';
import type { GitPort } from '../ports/git.js';

/** A proposal's state; `draft` is the editor's own copy before `propose`, so it is never stored. */
export type ProposalStatus = 'pr_created' | 'approved' | 'merged' | 'applied' | 'rolled_back';

/** One top-level key of one config file that differs from main. */
export interface ConfigKeyChange {
  /** Path relative to the config folder: `dd_policy.yaml`, `cost_profiles/ecn.yaml`. */
  file: string;
  /** The top-level key, or `(file)` for a file added, removed, or not YAML. */
  key: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export interface ConfigRisk {
  level: 'high' | 'normal';
  /** 2 for a high-risk change, else 1. */
  required_approvals: number;
  /** Which rule made it high risk, one line per key (empty for normal). */
  reasons: string[];
}

export interface ConfigApproval {
  by: string;
  at: string;
  checklist_url: string | null;
  risk_note: string | null;
}

export interface ConfigValidation {
  ok: boolean;
  /** The commit whose config folder was checked (the branch at propose, the merge result at merge). */
  commit: string;
  violations: Violation[];
}

export interface ConfigProposal {
  id: string;
  status: ProposalStatus;
  author: string;
  created_at: string;
  /** The author's words. */
  title: string;
  branch_name: string;
  /** main when proposed, and the branch's commit. */
  base_sha: string;
  head_sha: string;
  /** Files of the config folder that change. */
  config_names: string[];
  changes: ConfigKeyChange[];
  /** Generated: one line per changed key. */
  change_summary: string;
  risk: ConfigRisk;
  validation: ConfigValidation;
  approvals: ConfigApproval[];
  merge?: { merge_sha: string; merged_at: string; merged_by: string };
  applied?: { version: string; applied_at: string; applied_by: string; env: string };
  rolled_back?: { at: string; by: string; to_version: string; reason: string | null };
}

/** A tagged version of the config folder that was (or, for v0, was in force before the first) apply. */
export interface AppliedVersion {
  n: number;
  /** `config-v<n>`. */
  tag: string;
  commit: string;
  checksum: string;
  /** The seed's version: `yyyyMMdd_HHmm_<short sha>` of the apply (of the tag for v0). */
  version_stamp: string;
  proposal_ids: string[];
  /** Null for v0, the config in force before the workflow's first apply. */
  applied_at: string | null;
  applied_by: string | null;
  env: string | null;
  rolled_back?: { at: string; by: string; to_version: string; reason: string | null; rollback_sha: string };
}

export interface AppliedState {
  /** main before the workflow's first merge: becomes `config-v0` at the first apply. */
  baseline_sha: string | null;
  versions: AppliedVersion[];
}

/** What every workflow call is given; the CLI and pt serve wire the same one. */
export interface ConfigFlowContext {
  git: GitPort;
  /** The hash-chained audit log (runbook_policy.yaml audit_log_path), absolute. */
  auditPath: string;
  /** The config folder inside the repository; default `config`. */
  configPath?: string;
  /** Default `main`. */
  mainBranch?: string;
  /** Proposals and applied versions; default `<git common dir>/pt-config-workflow`. */
  stateDir?: string;
  /** The folder apply and rollback write the config to; default the repository's own config folder. */
  applyDir?: string;
  /** Asks running shards to reload (one line per channel told); apply and rollback call it. */
  requestReload?: () => Promise<string[]>;
  now?: () => Date;
}
