export { SAFETENSORS_DTYPES, SafetensorsFile, writeSafetensors, type SafetensorsDtype, type SafetensorsEntry, type SafetensorsTensor } from './safetensors';
export { fillNormal, fillUniform, fnv1a32, mulberry32, rngForKey, type Rng } from './seeded-random';
export { RandomWeightSource, SafetensorsWeightSource, WeightScope, type ParamInit, type WeightSource } from './weight-source';
export { RecordingWeightSource } from './recording-weight-source';
