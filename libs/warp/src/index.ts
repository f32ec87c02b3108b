export { renderWarpCrop, renderWarpEdit, type WarpCrop, type WarpDonor, type WarpEdit, type WarpOptions } from './render-warp-edit';
export { chooseDonor, donorQuery, droppedRegions, regenerates } from './bank-donor';
export { chooseMouthDonor } from './bank-mouth-donor';
export { fitFace, outputCanonicalMesh, outputMesh, poseGap, type FaceFit, type OutputMesh, type OutputMeshSources } from './output-mesh';
export { buildSourceMap, type MeshWarp, type SourceMap } from './source-map';
export { sampleMaskOnMaskPlane, sampleRgb } from './sample-map';
export { WarpGenerator, type WarpGeneratorOptions, type WarpRequest, type WarpRequestOptions, type WarpTaskOptions } from './warp-generator';
export { warpEditGenerator } from './warp-edit-generator';
export { degradedReasons, DEGRADED_OCCLUDED_TRIANGLES, DEGRADED_POSE_GAP_DEGREES, type WarpQuality } from './quality';
