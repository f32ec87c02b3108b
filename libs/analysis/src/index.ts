export { FaceAnalyzer, defaultPackDir, type FaceAnalyzerOptions } from './face-analyzer';
export { decodeImage, DEFAULT_DECODE_LIMITS, type DecodeLimits, type DecodedImage } from './image/decode';
