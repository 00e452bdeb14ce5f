import { notImplemented } from '@harbour/errors';

/** A resolver for a field that a later issue builds: null with NOT_IMPLEMENTED naming the issue. */
export const notImplementedField = (issue: number) => (): never => {
  throw notImplemented(issue);
};
