export { FaceAnalyzer, defaultPackDir, type FaceAnalyzerOptions } from './face-analyzer';
export { decodeImage, DEFAULT_DECODE_LIMITS, type DecodeLimits, type DecodedImage } from './image/decode';
// The face mesh's topology and geometry, for renderers that move and fit the same mesh (the warp generator).
export { CANONICAL_FACE, FACE_TRIANGLES, MIRROR_INDEX } from './topology/mesh-data';
export { LANDMARK, MESH_ANNOTATIONS, type EyeSide } from './topology/mesh-landmarks';
export { fitHead, RIGID_POINTS, rotationFromPose } from './geometry/pose';
export { expressionDescriptor } from './geometry/expression';
export { eyeFrame, type EyeFrame } from './geometry/gaze';
// The lighting model (spherical harmonics on the mesh normals), for renderers that relight a face.
export { SH_COEFFICIENTS, shBasis, SKIN_VERTICES, vertexNormals } from './geometry/lighting';
