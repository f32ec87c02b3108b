export {
  runVideoTool,
  videoToolsAvailable,
  writeChunk,
  VideoToolError,
  DEFAULT_TOOL_LIMITS,
  type ToolLimits,
  type ToolRun,
  type VideoTool,
} from './ffmpeg-runner';
export { parseProbe, probeVideo } from './probe';
export { checkVideoLimits, videoLimitsFromEnv, DEFAULT_VIDEO_LIMITS, type VideoLimits } from './limits';
export { OneEuroFilter, ONE_EURO_MASKS, ONE_EURO_POSE, ONE_EURO_RIGID, ONE_EURO_SHAPE, type OneEuroParameters } from './one-euro';
export { boxIou, followTrack, NEW_TRACK, MIN_TRACK_IOU, type TrackState } from './face-track';
export { RepresentationSmoother } from './temporal-smoothing';
export { decodeFrames, encodeFrames, type FrameSize } from './frames';
export { muxChunks, concatList, audioArgs } from './mux';
export { renderChunk, WARM_UP_SECONDS, type FrameBatchEditor, type RenderChunkOptions } from './render-chunk';
export { VideoFaceEditor, type BatchFrameRenderer, type FrameAnalyzer, type FrameRenderer, type VideoFaceEditorOptions } from './video-face-editor';
export { findDrivingReference, withDrivingMotion } from './driving-reference';
