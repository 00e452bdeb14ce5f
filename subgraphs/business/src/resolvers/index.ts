import { scalarResolvers } from '@harbour/server';
import { Business, BusinessMember } from './business';
import { Mutation } from './mutation';
import { Query } from './query';
import { User } from './user';

export const resolvers = { ...scalarResolvers, Query, Mutation, Business, BusinessMember, User };
