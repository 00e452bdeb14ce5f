import { DateTimeScalar } from '@harbour/server';
import { ApiKey, ApiKeyMutations, Business } from './api-keys';
import { Mutation } from './mutation';
import { Query } from './query';
import { User } from './user';

export const resolvers = { DateTime: DateTimeScalar, Query, Mutation: { ...Mutation, ...ApiKeyMutations }, User, Business, ApiKey };
