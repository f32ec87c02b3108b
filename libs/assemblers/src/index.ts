export * from './inputs';
export * from './face-geometry';
export * from './representation-assembler';
export * from './region-assembler';
export * from './assemble-edit';
export * from './motion-edit';
