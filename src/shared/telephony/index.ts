export * from './dialplan';
export * from './mos';
export * from './disposition';
