// ONNX export of pt tree ensembles and onnxruntime-node inference for any binary tree classifier.
export {
  exportTreeEnsembleOnnx,
  ONNX_CALIBRATION_KEY,
  ONNX_FEATURE_NAMES_KEY,
  ONNX_INPUT_NAME,
  ONNX_LABEL_OUTPUT,
  ONNX_PROBABILITIES_OUTPUT,
  type ExportTreeEnsembleOnnxOptions,
} from './exportTreeEnsembleOnnx.js';
export { loadOnnxClassifier, type OnnxClassifier, type OnnxFeatureInput } from './onnxModel.js';
export { encodeVarint, ProtobufWriter } from './protobufWriter.js';
export { checkImportedGraph, type ImportedGraphShape } from './checkImportedGraph.js';
export { appendMetadata, onnxSplitCount, readOnnxGraphInfo, type OnnxGraphInfo } from './onnxGraphInfo.js';
