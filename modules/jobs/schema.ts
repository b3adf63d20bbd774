/**
 * Job schemas: a parser of our own for the subset of proto3 a job needs (the architecture paper's
 * "Calculate Root" sample), and a checker that a JSON value conforms to one of its message types in
 * proto3's JSON mapping. Pure and bounded: at most {@link MAX_SCHEMA_BYTES} of text, {@link MAX_MESSAGES}
 * messages of {@link MAX_FIELDS} fields, message references at most {@link MAX_REFERENCE_DEPTH} deep
 * and never recursive, so checking a value visits a bounded number of fields.
 *
 * The subset: `syntax = "proto3";` (optional; another syntax is refused), `package a.b;`, `option
 * name = value;` (ignored), `message Name { [repeated|optional] <type> name = <number>; ... }` with
 * scalar types and references to other top-level messages, and `service Name { rpc Method (Request)
 * returns (Reply) {} }`. As in the paper's sample, an rpc may take several request types
 * (`rpc EvaluateRoot (Request, Workers) returns (EvaluationResult)`) and a service may share its name
 * with a message (services and messages are separate name spaces here). Comments `//` and `/* *\/`.
 * Refused with an error naming the construct and its line: enum, oneof, map, nested messages,
 * import, stream, reserved, extensions, groups.
 */
import { ainError, type ErrorDefinition } from '../../core/index.ts';
import { ErrInvalidSchema } from './errors.ts';

export const MAX_SCHEMA_BYTES = 8 * 1024;
export const MAX_MESSAGES = 64;
export const MAX_FIELDS = 64;
export const MAX_SERVICES = 8;
export const MAX_RPCS = 16;
export const MAX_RPC_INPUTS = 4;
export const MAX_IDENTIFIER_LENGTH = 64;
/** Longest chain of message-typed fields from any message (A.b -> B.c -> C is 2). */
export const MAX_REFERENCE_DEPTH = 16;
/** Most elements a repeated field's JSON array may hold. */
export const MAX_REPEATED = 1000;

export const SCALAR_TYPES = [
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];

export interface SchemaField {
  readonly name: string;
  /** proto3 JSON name: lowerCamelCase of the name. */
  readonly jsonName: string;
  readonly number: number;
  readonly repeated: boolean;
  /** A scalar type, or the name of a message of the schema. */
  readonly type: string;
  readonly scalar: boolean;
}

export interface SchemaMessage {
  readonly name: string;
  readonly fields: readonly SchemaField[];
}

export interface SchemaRpc {
  readonly service: string;
  readonly name: string;
  /** Request message names (one in proto3; several in the paper's evaluator sample). */
  readonly inputs: readonly string[];
  readonly output: string;
}

export interface JobSchema {
  readonly syntax: string;
  readonly package: string;
  readonly messages: ReadonlyMap<string, SchemaMessage>;
  /** Services by name, each its rpcs by name. */
  readonly services: ReadonlyMap<string, ReadonlyMap<string, SchemaRpc>>;
}

interface Token {
  readonly kind: 'ident' | 'int' | 'string' | 'symbol';
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

const UNSUPPORTED = new Set(['enum', 'oneof', 'map', 'import', 'stream', 'reserved', 'extensions', 'extend', 'group', 'required']);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A type reference or package name: dotted identifiers, a type reference may start with a dot. */
const DOTTED = /^\.?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** Field numbers: 1 to 2^29 - 1, without the range 19000-19999 protobuf reserves. */
const MAX_FIELD_NUMBER = 536_870_911;

function fail(detail: string, at?: { line: number; column: number }): never {
  throw ainError(ErrInvalidSchema, at ? `schema line ${at.line}:${at.column}: ${detail}` : `schema: ${detail}`, at ? { ...at } : {});
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const at = { line, column: i - lineStart + 1 };
    if (c === '\n') {
      line++;
      lineStart = ++i;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated /* comment', at);
      for (let j = i; j < end; j++) {
        if (text[j] === '\n') {
          line++;
          lineStart = j + 1;
        }
      }
      i = end + 2;
    } else if (/[A-Za-z_]/.test(c) || (c === '.' && /[A-Za-z_]/.test(text[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_.]/.test(text[j]!)) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j), ...at });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[0-9A-Za-z]/.test(text[j]!)) j++;
      tokens.push({ kind: 'int', text: text.slice(i, j), ...at });
      i = j;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (text[j] !== c) fail('unterminated string', at);
      tokens.push({ kind: 'string', text: text.slice(i + 1, j), ...at });
      i = j + 1;
    } else if ('{}()[];=,<>-+'.includes(c)) {
      tokens.push({ kind: 'symbol', text: c, ...at });
      i++;
    } else {
      fail(`unexpected character ${JSON.stringify(c)}`, at);
    }
  }
  return tokens;
}

/** lowerCamelCase of a field name, as protoc derives `json_name`. */
export function jsonNameOf(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

class Parser {
  private position = 0;
  private syntax = '';
  private packageName = '';
  private readonly messages = new Map<string, { name: string; fields: SchemaField[]; at: Token }>();
  private readonly services = new Map<string, Map<string, SchemaRpc & { at: Token }>>();

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): JobSchema {
    let first = true;
    while (this.position < this.tokens.length) {
      const token = this.next('a statement');
      if (token.kind === 'symbol' && token.text === ';') continue;
      if (token.kind !== 'ident') fail(`expected syntax, package, option, message or service; got ${JSON.stringify(token.text)}`, token);
      switch (token.text) {
        case 'syntax':
          if (!first) fail('syntax must be the first statement', token);
          this.parseSyntax();
          break;
        case 'package':
          if (this.packageName !== '') fail('package is declared twice', token);
          this.packageName = this.identifier('a package name', true);
          this.expect(';');
          break;
        case 'option':
          this.skipOption();
          break;
        case 'message':
          this.parseMessage(token);
          break;
        case 'service':
          this.parseService(token);
          break;
        default:
          if (UNSUPPORTED.has(token.text)) fail(`${token.text} is not supported by the job schema subset`, token);
          fail(`expected syntax, package, option, message or service; got ${JSON.stringify(token.text)}`, token);
      }
      first = false;
    }
    if (this.messages.size === 0) fail('declares no message');
    return this.resolve();
  }

  private next(what: string): Token {
    const token = this.tokens[this.position++];
    if (!token) fail(`unexpected end of schema; expected ${what}`);
    return token;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private expect(symbol: string): Token {
    const token = this.next(`"${symbol}"`);
    if (token.kind !== 'symbol' || token.text !== symbol) fail(`expected "${symbol}"; got ${JSON.stringify(token.text)}`, token);
    return token;
  }

  /** An identifier; `dotted` allows `a.b.C` (package names and type references). */
  private identifier(what: string, dotted = false): string {
    const token = this.next(what);
    if (token.kind !== 'ident') fail(`expected ${what}; got ${JSON.stringify(token.text)}`, token);
    if (!(dotted ? DOTTED : IDENT).test(token.text)) fail(`${JSON.stringify(token.text)} is not a valid ${what}`, token);
    if (token.text.length > MAX_IDENTIFIER_LENGTH)
      fail(`${what} ${token.text.slice(0, 20)}... is longer than ${MAX_IDENTIFIER_LENGTH}`, token);
    return token.text;
  }

  private parseSyntax(): void {
    this.expect('=');
    const value = this.next('"proto3"');
    if (value.kind !== 'string') fail(`syntax must be a string; got ${JSON.stringify(value.text)}`, value);
    if (value.text !== 'proto3') fail(`syntax "${value.text}" is not supported; expected "proto3"`, value);
    this.syntax = 'proto3';
    this.expect(';');
  }

  /** `option name = constant;` (top level) or a field's `[name = constant, ...]`: ignored. */
  private skipOption(): void {
    for (let count = 0; ; count++) {
      const token = this.next('";"');
      if (token.kind === 'symbol' && token.text === ';') return;
      if (token.kind === 'symbol' && '{}'.includes(token.text)) fail('option values must be constants', token);
      if (count > 16) fail('option is too long', token);
    }
  }

  private parseMessage(keyword: Token): void {
    const name = this.identifier('a message name');
    if (this.messages.has(name)) fail(`message ${name} is declared twice`, keyword);
    if (this.messages.size >= MAX_MESSAGES) fail(`more than ${MAX_MESSAGES} messages`, keyword);
    const message = { name, fields: [] as SchemaField[], at: keyword };
    this.messages.set(name, message);
    this.expect('{');
    for (;;) {
      const token = this.next(`a field of message ${name} or "}"`);
      if (token.kind === 'symbol' && token.text === '}') return;
      if (token.kind === 'symbol' && token.text === ';') continue;
      if (token.kind === 'ident' && token.text === 'message')
        fail(`message ${name}: nested messages are not supported; declare them at the top level`, token);
      if (token.kind === 'ident' && token.text === 'option') {
        this.skipOption();
        continue;
      }
      if (token.kind === 'ident' && UNSUPPORTED.has(token.text))
        fail(`message ${name}: ${token.text} is not supported by the job schema subset`, token);
      this.position--;
      this.parseField(message);
    }
  }

  private parseField(message: { name: string; fields: SchemaField[] }): void {
    const start = this.peek()!;
    let repeated = false;
    if (start.kind === 'ident' && (start.text === 'repeated' || start.text === 'optional')) {
      repeated = start.text === 'repeated';
      this.position++;
    }
    const typeToken = this.next(`a field type in message ${message.name}`);
    if (typeToken.kind !== 'ident')
      fail(`message ${message.name}: expected a field type; got ${JSON.stringify(typeToken.text)}`, typeToken);
    const nameToken = this.next(`a field name in message ${message.name}`);
    if (nameToken.kind === 'symbol' && nameToken.text === '=')
      fail(`message ${message.name} field ${typeToken.text}: expected a type before the field name`, typeToken);
    if (nameToken.kind !== 'ident' || !IDENT.test(nameToken.text))
      fail(`message ${message.name}: expected a field name; got ${JSON.stringify(nameToken.text)}`, nameToken);
    const name = nameToken.text;
    if (name.length > MAX_IDENTIFIER_LENGTH) fail(`message ${message.name}: field name longer than ${MAX_IDENTIFIER_LENGTH}`, nameToken);
    const type = typeToken.text;
    if (!DOTTED.test(type) || type.length > MAX_IDENTIFIER_LENGTH)
      fail(`message ${message.name} field ${name}: ${JSON.stringify(type)} is not a valid type`, typeToken);
    this.expect('=');
    const numberToken = this.next(`the number of field ${name}`);
    if (numberToken.kind !== 'int' || !/^[1-9][0-9]{0,9}$/.test(numberToken.text))
      fail(
        `message ${message.name} field ${name}: field number ${JSON.stringify(numberToken.text)} is not a positive decimal integer`,
        numberToken,
      );
    const number = Number(numberToken.text);
    if (number > MAX_FIELD_NUMBER || (number >= 19000 && number <= 19999))
      fail(
        `message ${message.name} field ${name}: field number ${number} must be in [1, ${MAX_FIELD_NUMBER}] outside 19000-19999`,
        numberToken,
      );
    const next = this.peek();
    if (next?.kind === 'symbol' && next.text === '[') {
      for (let count = 0; ; count++) {
        const token = this.next('"]"');
        if (token.kind === 'symbol' && token.text === ']') break;
        if (count > 32) fail(`message ${message.name} field ${name}: field options are too long`, token);
      }
    }
    this.expect(';');
    if (message.fields.some((f) => f.name === name)) fail(`message ${message.name}: field ${name} is declared twice`, nameToken);
    if (message.fields.some((f) => f.jsonName === jsonNameOf(name)))
      fail(`message ${message.name}: field ${name} has the same JSON name as another field`, nameToken);
    if (message.fields.some((f) => f.number === number))
      fail(`message ${message.name}: field number ${number} of ${name} is used twice`, numberToken);
    if (message.fields.length >= MAX_FIELDS) fail(`message ${message.name} has more than ${MAX_FIELDS} fields`, nameToken);
    const scalar = (SCALAR_TYPES as readonly string[]).includes(type);
    message.fields.push({ name, jsonName: jsonNameOf(name), number, repeated, type, scalar });
  }

  private parseService(keyword: Token): void {
    const name = this.identifier('a service name');
    if (this.services.has(name)) fail(`service ${name} is declared twice`, keyword);
    if (this.services.size >= MAX_SERVICES) fail(`more than ${MAX_SERVICES} services`, keyword);
    const rpcs = new Map<string, SchemaRpc & { at: Token }>();
    this.services.set(name, rpcs);
    this.expect('{');
    for (;;) {
      const token = this.next(`an rpc of service ${name} or "}"`);
      if (token.kind === 'symbol' && token.text === '}') return;
      if (token.kind === 'symbol' && token.text === ';') continue;
      if (token.kind === 'ident' && token.text === 'option') {
        this.skipOption();
        continue;
      }
      if (token.kind !== 'ident' || token.text !== 'rpc') fail(`service ${name}: expected rpc; got ${JSON.stringify(token.text)}`, token);
      const method = this.identifier(`an rpc name in service ${name}`);
      if (rpcs.has(method)) fail(`service ${name}: rpc ${method} is declared twice`, token);
      if (rpcs.size >= MAX_RPCS) fail(`service ${name} has more than ${MAX_RPCS} rpcs`, token);
      this.expect('(');
      const inputs: string[] = [];
      for (;;) {
        const input = this.peek();
        if (input?.kind === 'ident' && input.text === 'stream') fail(`rpc ${name}.${method}: stream is not supported`, input);
        inputs.push(this.identifier(`a request type of rpc ${name}.${method}`, true));
        if (inputs.length > MAX_RPC_INPUTS) fail(`rpc ${name}.${method} takes more than ${MAX_RPC_INPUTS} request types`, token);
        const separator = this.next('"," or ")"');
        if (separator.kind === 'symbol' && separator.text === ')') break;
        if (separator.kind !== 'symbol' || separator.text !== ',')
          fail(`rpc ${name}.${method}: expected "," or ")"; got ${JSON.stringify(separator.text)}`, separator);
      }
      const returns = this.next('returns');
      if (returns.kind !== 'ident' || returns.text !== 'returns')
        fail(`rpc ${name}.${method}: expected returns; got ${JSON.stringify(returns.text)}`, returns);
      this.expect('(');
      const stream = this.peek();
      if (stream?.kind === 'ident' && stream.text === 'stream') fail(`rpc ${name}.${method}: stream is not supported`, stream);
      const output = this.identifier(`the reply type of rpc ${name}.${method}`, true);
      this.expect(')');
      const end = this.next('"{}" or ";"');
      if (end.kind === 'symbol' && end.text === '{') {
        for (;;) {
          const inner = this.next('"}"');
          if (inner.kind === 'symbol' && inner.text === '}') break;
          if (inner.kind === 'ident' && inner.text === 'option') this.skipOption();
          else fail(`rpc ${name}.${method}: only options may appear in its body`, inner);
        }
      } else if (end.kind !== 'symbol' || end.text !== ';') {
        fail(`rpc ${name}.${method}: expected "{}" or ";"; got ${JSON.stringify(end.text)}`, end);
      }
      rpcs.set(method, { service: name, name: method, inputs, output, at: token });
    }
  }

  /** A type reference as written (`Name`, `pkg.Name`, `.pkg.Name`) to a message name, or undefined. */
  private messageName(reference: string): string | undefined {
    let name = reference.startsWith('.') ? reference.slice(1) : reference;
    if (this.packageName !== '' && name.startsWith(`${this.packageName}.`)) name = name.slice(this.packageName.length + 1);
    return this.messages.has(name) ? name : undefined;
  }

  private resolve(): JobSchema {
    const messages = new Map<string, SchemaMessage>();
    for (const message of this.messages.values()) {
      const fields = message.fields.map((field) => {
        if (field.scalar) return field;
        const target = this.messageName(field.type);
        if (!target)
          fail(
            `message ${message.name} field ${field.name}: type ${field.type} is neither a scalar type nor a message of the schema`,
            message.at,
          );
        return { ...field, type: target };
      });
      messages.set(message.name, { name: message.name, fields });
    }
    // References must form no cycle and be at most MAX_REFERENCE_DEPTH deep: checking a value is then bounded.
    const depth = new Map<string, number>();
    const visiting = new Set<string>();
    const depthOf = (name: string): number => {
      const known = depth.get(name);
      if (known !== undefined) return known;
      if (visiting.has(name)) fail(`message ${name} refers to itself (recursive messages are not supported)`, this.messages.get(name)!.at);
      visiting.add(name);
      let deepest = 0;
      for (const field of messages.get(name)!.fields) if (!field.scalar) deepest = Math.max(deepest, depthOf(field.type) + 1);
      visiting.delete(name);
      if (deepest > MAX_REFERENCE_DEPTH)
        fail(`message ${name} nests messages ${deepest} deep; at most ${MAX_REFERENCE_DEPTH}`, this.messages.get(name)!.at);
      depth.set(name, deepest);
      return deepest;
    };
    for (const name of messages.keys()) depthOf(name);
    const services = new Map<string, Map<string, SchemaRpc>>();
    for (const [serviceName, rpcs] of this.services) {
      const resolved = new Map<string, SchemaRpc>();
      for (const rpc of rpcs.values()) {
        const inputs = rpc.inputs.map((input) => {
          const target = this.messageName(input);
          if (!target) fail(`rpc ${serviceName}.${rpc.name}: request type ${input} is not a message of the schema`, rpc.at);
          return target;
        });
        const output = this.messageName(rpc.output);
        if (!output) fail(`rpc ${serviceName}.${rpc.name}: reply type ${rpc.output} is not a message of the schema`, rpc.at);
        resolved.set(rpc.name, { service: serviceName, name: rpc.name, inputs, output });
      }
      services.set(serviceName, resolved);
    }
    return { syntax: this.syntax || 'proto3', package: this.packageName, messages, services };
  }
}

/**
 * Parses a job schema (the proto3 subset described above).
 * @throws AinError jobs/2 naming the line, the message or rpc, and the field
 * @example parseSchema('message Request { float y = 1; }').messages.get('Request')!.fields[0]!.type // 'float'
 */
export function parseSchema(text: string): JobSchema {
  if (typeof text !== 'string' || text.trim() === '') fail('is empty; expected proto3 text');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SCHEMA_BYTES) fail(`is ${bytes} bytes; at most ${MAX_SCHEMA_BYTES}`);
  return new Parser(tokenize(text)).parse();
}

/**
 * The rpc `Service.Method` of a schema; an empty reference means the only rpc of `defaultService`.
 * @throws AinError jobs/2 naming what is missing or ambiguous
 * @example findRpc(schema, '', 'Worker') // { service: 'Worker', name: 'CalculateRoot', inputs: ['Request'], output: 'WorkerReply' }
 */
export function findRpc(schema: JobSchema, reference: string, defaultService: string, field: string): SchemaRpc {
  if (reference === '') {
    const rpcs = schema.services.get(defaultService);
    if (rpcs?.size !== 1)
      fail(
        `${field} is empty and service ${defaultService} ${rpcs ? `has ${rpcs.size} rpcs` : 'is not declared'}; name one as Service.Method`,
      );
    return [...rpcs.values()][0]!;
  }
  const match = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(reference);
  if (!match) fail(`${field} ${JSON.stringify(reference)} is not of the form Service.Method`);
  const rpc = schema.services.get(match[1]!)?.get(match[2]!);
  if (!rpc) fail(`${field} ${reference} is not an rpc of the schema`);
  return rpc;
}

const INT_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};
const DECIMAL_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
const BASE64 = /^([A-Za-z0-9+/_-]{4})*([A-Za-z0-9+/_-]{2}(==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Checks one scalar in proto3's JSON mapping; returns what was expected when it does not conform. */
function scalarProblem(type: string, value: unknown): string | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : 'a string';
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'bytes':
      return typeof value === 'string' && BASE64.test(value) ? undefined : 'base64 text';
    case 'float':
    case 'double':
      if (typeof value === 'number') return undefined;
      if (typeof value === 'string' && (value === 'NaN' || value === 'Infinity' || value === '-Infinity' || DECIMAL_NUMBER.test(value)))
        return undefined;
      return `a number (${type})`;
    default: {
      const range = INT_RANGES[type]!;
      let integer: bigint;
      if (typeof value === 'number' && Number.isSafeInteger(value)) integer = BigInt(value);
      else if (typeof value === 'string' && /^-?(0|[1-9][0-9]{0,19})$/.test(value)) integer = BigInt(value);
      else return `an integer (${type}; beyond 2^53 as decimal text)`;
      return integer >= range[0] && integer <= range[1] ? undefined : `an integer in [${range[0]}, ${range[1]}] (${type})`;
    }
  }
}

function checkMessage(schema: JobSchema, type: string, value: unknown, at: string, error: ErrorDefinition): void {
  if (value === null) return;
  if (typeof value !== 'object' || Array.isArray(value))
    throw ainError(error, `${at}: expected an object (message ${type}); got ${describe(value)}`, { field: at });
  const message = schema.messages.get(type)!;
  const seen = new Set<string>();
  for (const key of Object.keys(value).sort()) {
    const field = message.fields.find((f) => f.name === key || f.jsonName === key);
    if (!field)
      throw ainError(
        error,
        `${at}.${key}: message ${type} has no field ${JSON.stringify(key)}; its fields are ${message.fields.map((f) => f.name).join(', ') || 'none'}`,
        { field: `${at}.${key}` },
      );
    if (seen.has(field.name)) throw ainError(error, `${at}.${key}: field ${field.name} is given twice`, { field: `${at}.${key}` });
    seen.add(field.name);
    checkField(schema, field, (value as Record<string, unknown>)[key], `${at}.${key}`, error);
  }
}

function checkField(schema: JobSchema, field: SchemaField, value: unknown, at: string, error: ErrorDefinition): void {
  if (value === null) return;
  if (field.repeated) {
    if (!Array.isArray(value))
      throw ainError(error, `${at}: expected an array (repeated ${field.type}); got ${describe(value)}`, { field: at });
    if (value.length > MAX_REPEATED) throw ainError(error, `${at}: ${value.length} elements; at most ${MAX_REPEATED}`, { field: at });
    value.forEach((item, i) => {
      if (item === null) throw ainError(error, `${at}[${i}]: null is not an element of repeated ${field.type}`, { field: `${at}[${i}]` });
      checkSingle(schema, field, item, `${at}[${i}]`, error);
    });
    return;
  }
  checkSingle(schema, field, value, at, error);
}

function checkSingle(schema: JobSchema, field: SchemaField, value: unknown, at: string, error: ErrorDefinition): void {
  if (!field.scalar) {
    checkMessage(schema, field.type, value, at, error);
    return;
  }
  const expected = scalarProblem(field.type, value);
  if (expected) throw ainError(error, `${at}: expected ${expected}; got ${describe(value)}`, { field: at });
}

/**
 * Checks that a parsed JSON value conforms to message `type` of the schema in proto3's JSON mapping:
 * an object whose keys are field names or their lowerCamelCase JSON names (unknown keys refused,
 * missing fields are defaults, null is a default), repeated fields as arrays, 64-bit integers as
 * numbers or decimal text, floats as numbers (or "NaN", "Infinity"), bytes as base64.
 * @throws AinError `error` (jobs/10 for inputs, jobs/11 for outputs) naming the path, e.g. `output.x`
 * @example checkJson(schema, 'WorkerReply', { x: 'two' }, 'output', ErrInvalidOutput) // throws "output.x: expected a number (float); got \"two\""
 */
export function checkJson(schema: JobSchema, type: string, value: unknown, root: string, error: ErrorDefinition): void {
  if (!schema.messages.has(type)) throw ainError(error, `${root}: the schema has no message ${type}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw ainError(error, `${root}: expected an object (message ${type}); got ${describe(value)}`, { field: root });
  checkMessage(schema, type, value, root, error);
}
