// A loose view of an OpenAPI 3.0 document: only what the fake reads or rewrites is typed.
export interface Operation {
  operationId?: string;
  tags?: string[];
  parameters?: Parameter[];
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
  [key: string]: unknown;
}

export interface Parameter {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie';
  required?: boolean;
  allowReserved?: boolean;
  schema?: unknown;
  [key: string]: unknown;
}

export interface OpenApiDocument {
  openapi: string;
  info?: Record<string, unknown>;
  servers?: { url: string; description?: string }[];
  paths: Record<string, Record<string, unknown>>;
  components?: {
    schemas?: Record<string, unknown>;
    parameters?: Record<string, unknown>;
    [kind: string]: Record<string, unknown> | undefined;
  };
  [key: string]: unknown;
}
