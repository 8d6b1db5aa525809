// The model registry (SPEC §5): signed, atomically written `models/<version>/` folders.
export { writeModelVersion, type WriteModelVersionOptions } from './writeModelVersion.js';
export {
  verifyModelVersion,
  readModelFolder,
  findProblems,
  type VerifyResult,
  type VerifyProblem,
  type VerifyProblemKind,
} from './verifyModelVersion.js';
export { loadVerifiedModel, formatProblems, type VerifiedModel } from './loadVerifiedModel.js';
export { listModelVersions, latestModelVersion, type ModelVersionInfo } from './listModelVersions.js';
export {
  keyFingerprint,
  parseModelKey,
  resolveSigningKey,
  resolveVerifyKey,
  type ModelKeyOptions,
} from './modelKeys.js';
export { LOCAL_PRIVATE_KEY_FILE, LOCAL_PUBLIC_KEY_FILE } from './localKeyPair.js';
export { REQUIRED_ARTEFACTS, PARAMS_KEYS, type ModelParams } from './modelArtefacts.js';
export { canonicalJson, featureSchemaHash, sealFeatureSchema, type FeatureSchema } from './featureSchema.js';
export { formatModelVersion, parseModelVersion, MODEL_VERSION_PATTERN } from './modelVersionName.js';
export { SIGNATURE_FILE, formatManifest, sha256Hex } from './manifest.js';
export { formatSignatureFile, parseSignatureFile, SIGNATURE_HEADER } from './signatureFile.js';
export { modelParamsFromConfig } from './modelParamsFromConfig.js';
export {
  APPLIED_DIR,
  APPLIED_SIG_SUFFIX,
  appliedThetaFileName,
  parseAppliedThetaFileName,
  type AppliedThetaRecord,
  type AppliedThetaFields,
  type AppliedThetaProblem,
  type ThetaValues,
} from './appliedThetaRecord.js';
export {
  appliedThetaInput,
  appliedThetaLabel,
  checkAppliedThetas,
  latestAppliedTheta,
  writeAppliedTheta,
  type AppliedTheta,
  type AppliedThetaCheck,
} from './appliedThetas.js';
export {
  CURRENT_FILE,
  currentPointerPath,
  readCurrentModel,
  writeCurrentModel,
  type CurrentModel,
} from './currentModel.js';
