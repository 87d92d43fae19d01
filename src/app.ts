// The HTTP pipeline, top to bottom in the order a request flows through it:
//   1. request id, log line, journal       (every response carries Request-Id and Sequence-Version)
//   2. JSON body parsing                   (1 MB limit; malformed JSON -> 400, too large -> 413)
//   3. auth, then version                  (Basic credentials -> the caller's partition; 401 otherwise;
//                                           Sequence-Version: the version answering, 400 if unknown)
//   4. spec validation                     (openapi.yaml + spec/mock.yaml, or the older version's own
//                                           document, read on its first request; 400/404/405/415)
//   5. admin API                           (/__admin, outside Sequence's API)
//   6. mock controls                       (Prefer: code=..., delay=...; sticky fault rules)
//   7. idempotency                         (Idempotency-Key where the document declares it)
//   8. the engine                          (src/engine/engine.ts: the operation's plug-in handler, else its
//                                           collection, else its documented example -> store -> JSON;
//                                           an older version through its view, src/engine/versions.ts)
//   9. not found, then the one error handler (every error in Sequence's {"error": {...}} envelope)
// Response validation (strict mode) wraps res.json from step 4 onwards.
import express, { type Express, type Request, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Clock } from './engine/clock.js';
import { systemClock } from './engine/clock.js';
import { Conformer, forValidation } from './engine/contract/conform.js';
import { describeDocument, type describeCollections, type describeOperations } from './engine/contract/operations.js';
import { BASE_PATHS, loadSpec, loadVersionSpec, type OpenApiDocument } from './engine/contract/spec.js';
import { Engine } from './engine/engine.js';
import { VersionView } from './engine/versions.js';
import type { Plugin } from './engine/plugin.js';
import type { Store } from './engine/store/types.js';
import { authenticate } from './http/auth.js';
import { afterResponse } from './http/after-response.js';
import { requestId } from './http/context.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { jsonBody } from './http/json-body.js';
import { mockControls } from './http/mock-controls.js';
import { matchedOperation, specValidator } from './http/openapi.js';
import { answerOperations } from './http/respond.js';
import { series } from './http/series.js';
import { checkVersion } from './http/version.js';
import { createLogger, isWarmUp, requestLine } from './logger.js';
import { PLUGINS } from './resources/registry.js';
import { journalEntry } from './tools/admin/journal.js';
import { adminGuard, isAdmin, type AdminPolicy } from './tools/admin/guard.js';
import { adminRoutes } from './tools/admin/routes.js';
import type { Admin } from './tools/admin/service.js';
import { browserHome, DASHBOARD_HEADER } from './tools/dashboard/ui.js';
import type { Upstream } from './tools/proxy/forward.js';
import { Recorder } from './tools/proxy/record.js';
import { proxyRoutes, type CheckedBy } from './tools/proxy/routes.js';

export interface AppDeps {
  config: Pick<Config, 'strict' | 'credentials' | 'adminToken'> & Partial<Pick<Config, 'allowedHosts'>>;
  /** Forward Sequence's API to this upstream, checking both sides, instead of answering it (--upstream). */
  proxy?: { upstream: Upstream; record: boolean };
  store: Store;
  admin: Admin;
  logger?: Logger;
  spec?: OpenApiDocument;
  /** Where new ids and timestamps come from (the system clock unless a test fixes them). */
  clock?: Clock;
  /** The resources served by hand-written rules (all of src/resources/registry.ts unless given). */
  plugins?: readonly Plugin[];
}

/** 1 MB: the largest JSON body accepted (413 above). */
export const BODY_LIMIT = 1024 * 1024;

export const ADMIN_PATH = '/__admin';

interface Prepared {
  operations: ReturnType<typeof describeOperations>;
  collections: ReturnType<typeof describeCollections>;
  conformer: Conformer;
  validator: RequestHandler[];
}
const preparedBySpec = new WeakMap<OpenApiDocument, Map<boolean, Prepared>>();

/**
 * What an app makes of a document: made once per document and validation mode, and shared by every
 * app of the process that serves it. Nothing in it is per app (the validator keeps only compiled
 * validators, read per request), so a second app in the same process (a jest file starting its own
 * fake) starts without reading the document again and finds its validators already compiled.
 */
function prepared(spec: OpenApiDocument, strict: boolean): Prepared {
  let byMode = preparedBySpec.get(spec);
  if (!byMode) preparedBySpec.set(spec, (byMode = new Map<boolean, Prepared>()));
  let made = byMode.get(strict);
  if (made) return made;
  // Read before the validator starts: it strips the examples from the document it is given.
  const { operations, collections } = describeDocument(spec);
  made = {
    operations,
    collections,
    conformer: new Conformer(spec),
    // Without examples and documentation strings (0.42 of 1.5 MB): the validator never reads them, and
    // copies and walks the whole document several times while it starts (docs/benchmarks.md).
    validator: specValidator(forValidation(spec) as OpenApiDocument, { validateResponses: strict }),
  };
  byMode.set(strict, made);
  return made;
}

/**
 * What every request meets first, whether the fake answers it or forwards it: its id, the dashboard
 * for a browser at the root, the log line and the journal (which leaves out the admin API, this
 * process's warm-up and the dashboard's own reads: none is the user's request). A client cannot
 * hide its requests with the markers: the warm-up's is a per-process secret, and the dashboard's
 * counts only from the admin.
 */
function front(logger: Logger, admin: Admin, policy: AdminPolicy): RequestHandler[] {
  const guard = adminGuard(policy, ADMIN_PATH);
  return [
    requestId,
    browserHome,
    afterResponse(
      requestLine(logger),
      journalEntry(
        admin.journal,
        (path, headers) =>
          path.startsWith(ADMIN_PATH) || isWarmUp(headers) || (headers[DASHBOARD_HEADER] !== undefined && isAdmin(headers, policy)),
      ),
    ),
    // Who may reach the admin API at all, before its validator reads anything (tools/admin/guard.ts).
    (req, res, next) => (req.path.startsWith(ADMIN_PATH) ? guard(req, res, next) : next()),
  ];
}

const policyOf = (config: AppDeps['config']): AdminPolicy => ({
  adminToken: config.adminToken,
  credentials: config.credentials,
  allowedHosts: config.allowedHosts ?? [],
});

export function createApp({
  config,
  store,
  admin,
  logger = createLogger('silent'),
  spec = loadSpec(),
  clock = systemClock,
  plugins = PLUGINS,
  proxy,
}: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (proxy) return proxyApp(app, { config, store, admin, logger, spec, proxy, plugins });

  // Everything but the admin API is Sequence's API: credentials first (Sequence's 401 before anything
  // else), then the version.
  const apiOnly =
    (handler: RequestHandler): RequestHandler =>
    (req, res, next) =>
      req.path.startsWith(ADMIN_PATH) ? next() : handler(req, res, next);
  // Each group below is one express layer (series): express 5 costs ~6 µs per layer a request passes.
  app.use(
    series(
      ...front(logger, admin, policyOf(config)),
      jsonBody(BODY_LIMIT),
      apiOnly(authenticate(config.credentials)),
      apiOnly(checkVersion),
    ),
  );
  const { operations, collections, conformer, validator } = prepared(spec, config.strict);
  // Every operation of the document, answered by the engine for the operation the validator matched.
  const engine = new Engine({ operations, collections, conformer }, plugins, admin.webhooks);
  admin.webhooks?.attach(engine);
  admin.clocks?.attach(engine);

  // An older API version: its own document validates, and its view answers over the same engine
  // and store. Made on its first request, so a current client never pays for it.
  const older = new Map<string, { validate: RequestHandler; view: VersionView }>();
  const version = (name: string) => {
    let made = older.get(name);
    if (!made) {
      const own = prepared(loadVersionSpec(name), config.strict);
      const view = new VersionView(name, own, { engine, document: { operations, collections, conformer } }, plugins);
      older.set(name, (made = { validate: series(...own.validator), view }));
    }
    return made;
  };
  const validate = series(...validator);
  app.use((req, res, next) => {
    const asked = res.locals.context.version;
    return asked === undefined || req.path.startsWith(ADMIN_PATH) ? validate(req, res, next) : version(asked).validate(req, res, next);
  });

  app.use(ADMIN_PATH, adminRoutes(admin, store, config, { collections, conformer }));

  const answerer = (asked: string | undefined) => (asked === undefined ? engine : version(asked).view);
  const api = series(mockControls(admin.faults), admin.idempotency.middleware(), answerOperations(answerer, store, clock));
  // Mounted once per base path: express 5 does not match '/' inside a path array (measured).
  for (const base of BASE_PATHS) app.use(base, api);

  app.use(notFoundHandler);
  app.use(
    errorHandler(logger, (req, status) => {
      const asked = req.res?.locals.context.version;
      const view = asked === undefined ? undefined : version(asked).view;
      return view ? listsErrors(view.conformer, view, req, status) : listsErrors(conformer, engine, req, status);
    }),
  );
  return app;
}

/** Whether the matched operation documents, for this status, a body that requires a top-level `errors` list. */
function listsErrors(conformer: Conformer, engine: Pick<Engine, 'operation'>, req: Request, status: number): boolean {
  const matched = matchedOperation(req);
  const operation = matched && engine.operation(matched.key);
  const documented = operation && conformer.response(operation.method, operation.path, status);
  const schema = documented?.schema === undefined ? undefined : conformer.schema(documented.schema);
  return schema !== undefined && conformer.required(schema).has('errors');
}

/**
 * --upstream: the same front (request id, log, journal) and admin API, then every other request goes
 * to the upstream through the validating proxy. Request checks use the validator without response
 * validation: the upstream's answers are checked by the proxy and never refused.
 */
function proxyApp(app: Express, { config, store, admin, logger, spec, proxy, plugins }: Required<Omit<AppDeps, 'clock'>>): Express {
  const adminOnly =
    (handler: RequestHandler): RequestHandler =>
    (req, res, next) =>
      req.path.startsWith(ADMIN_PATH) ? handler(req, res, next) : next();
  const { operations, collections, conformer, validator } = prepared(spec, false);
  const validate = series(...validator);
  // A request naming an older version is checked, both ways, against that version's document.
  const current = { validator: validate, conformer, current: true };
  const older = new Map<string, CheckedBy>();
  const documentFor = (asked: string | undefined): CheckedBy => {
    if (asked === undefined) return current;
    let made = older.get(asked);
    if (!made) {
      const own = prepared(loadVersionSpec(asked), false);
      older.set(asked, (made = { validator: series(...own.validator), conformer: own.conformer, current: false }));
    }
    return made;
  };
  app.use(series(...front(logger, admin, policyOf(config)), adminOnly(jsonBody(BODY_LIMIT)), adminOnly(validate)));
  app.use(ADMIN_PATH, adminRoutes(admin, store, config, { collections, conformer }));
  app.use(
    proxyRoutes({
      upstream: proxy.upstream,
      documentFor,
      divergences: admin.divergences,
      logger,
      recorder: proxy.record ? new Recorder(store, collections, plugins, operations) : undefined,
      limit: PROXY_BODY_LIMIT,
    }),
  );
  app.use(errorHandler(logger));
  return app;
}

/** 10 MB: the largest request body the proxy forwards (Sequence's own limit is not documented). */
export const PROXY_BODY_LIMIT = 10 * 1024 * 1024;
