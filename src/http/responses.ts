import { ProblemSchema } from './problem.js';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** Error responses every route can give; spread into each route's `responses`. */
export const commonErrorResponses = {
  400: problem('The request is not valid: each failing field is listed in `errors`'),
  401: problem('Missing or wrong bearer token (only when the server has API tokens configured)'),
  413: problem('The request body is larger than the limit'),
  500: problem('Internal error; the detail never reveals internals'),
} as const;

export const notFoundResponse = { 404: problem('No such resource') } as const;
export const conflictResponse = { 409: problem('The resource is not in a state that allows this') } as const;
export const notAcceptableResponse = { 406: problem('None of the accepted representations is available') } as const;
export const unavailableResponse = { 503: problem('kubeproof is shutting down and accepts no new work') } as const;
export const unsupportedMediaResponse = {
  415: problem('The body has a content type this route does not accept'),
} as const;
export const tooManyRequestsResponse = {
  429: {
    ...problem('The queue, or your share of it (or of open event streams), is full; retry after `Retry-After` seconds'),
    headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } },
  },
} as const;
