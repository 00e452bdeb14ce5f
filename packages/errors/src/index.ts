export { ErrorCode, isContractCode } from './codes';
export * from './errors';
export { maskError, type MaskOptions } from './mask';
