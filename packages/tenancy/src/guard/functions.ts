/**
 * The built-in functions a product statement may call (C15). Each one neither runs SQL text
 * nor has a side effect outside the statement, and none reads a catalog or another tenant's
 * data. Anything else is refused; an app adds its own through `allowFunctions`.
 *
 * Names are as the parser gives them: `pg_catalog.x` is checked as `x`; any other schema
 * qualifier must be listed as `schema.name`.
 */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // aggregates
  'count', 'sum', 'min', 'max', 'avg', 'array_agg', 'string_agg', 'json_agg', 'jsonb_agg', 'json_agg_strict', 'jsonb_agg_strict',
  'json_object_agg', 'jsonb_object_agg', 'bool_and', 'bool_or', 'every', 'bit_and', 'bit_or', 'any_value',
  'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp', 'percentile_cont', 'percentile_disc', 'mode',
  // window functions
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value',
  // math
  'abs', 'ceil', 'ceiling', 'floor', 'round', 'trunc', 'sign', 'sqrt', 'cbrt', 'power', 'pow', 'exp', 'ln', 'log', 'log10', 'mod',
  'div', 'pi', 'degrees', 'radians', 'gcd', 'lcm', 'width_bucket', 'scale', 'trim_scale', 'random', 'num_nulls', 'num_nonnulls',
  // strings (btrim/ltrim/rtrim/position/substring/overlay/normalize are also what TRIM(...), POSITION(... IN ...) parse to)
  'lower', 'upper', 'initcap', 'length', 'char_length', 'character_length', 'octet_length', 'bit_length', 'btrim', 'ltrim', 'rtrim',
  'lpad', 'rpad', 'substring', 'substr', 'position', 'strpos', 'overlay', 'replace', 'translate', 'concat', 'concat_ws', 'left', 'right',
  'split_part', 'repeat', 'reverse', 'starts_with', 'format', 'normalize', 'is_normalized', 'ascii', 'chr', 'to_hex', 'md5',
  'sha224', 'sha256', 'sha384', 'sha512', 'encode', 'decode', 'quote_ident', 'quote_literal', 'quote_nullable',
  'regexp_replace', 'regexp_match', 'regexp_matches', 'regexp_split_to_array', 'regexp_split_to_table', 'regexp_like',
  'regexp_count', 'regexp_instr', 'regexp_substr', 'string_to_array', 'array_to_string', 'string_to_table',
  'like_escape', 'similar_to_escape', // what LIKE ... ESCAPE and SIMILAR TO parse to
  // date and time (timezone and overlaps are what AT TIME ZONE and OVERLAPS parse to)
  'now', 'clock_timestamp', 'statement_timestamp', 'transaction_timestamp', 'date_trunc', 'date_part', 'extract', 'date_bin',
  'make_date', 'make_time', 'make_timestamp', 'make_timestamptz', 'make_interval', 'to_char', 'to_date', 'to_timestamp', 'to_number',
  'age', 'justify_days', 'justify_hours', 'justify_interval', 'isfinite', 'timezone', 'overlaps', 'date_add', 'date_subtract',
  // json and jsonb
  'to_json', 'to_jsonb', 'row_to_json', 'array_to_json', 'json_build_object', 'jsonb_build_object', 'json_build_array',
  'jsonb_build_array', 'json_object', 'jsonb_object', 'json_array_length', 'jsonb_array_length', 'json_each', 'jsonb_each',
  'json_each_text', 'jsonb_each_text', 'json_extract_path', 'jsonb_extract_path', 'json_extract_path_text', 'jsonb_extract_path_text',
  'json_object_keys', 'jsonb_object_keys', 'json_array_elements', 'jsonb_array_elements', 'json_array_elements_text',
  'jsonb_array_elements_text', 'json_typeof', 'jsonb_typeof', 'json_strip_nulls', 'jsonb_strip_nulls', 'jsonb_set', 'jsonb_set_lax',
  'jsonb_insert', 'jsonb_pretty', 'json_populate_record', 'jsonb_populate_record', 'json_populate_recordset',
  'jsonb_populate_recordset', 'json_to_record', 'jsonb_to_record', 'json_to_recordset', 'jsonb_to_recordset',
  'jsonb_path_exists', 'jsonb_path_match', 'jsonb_path_query', 'jsonb_path_query_array', 'jsonb_path_query_first',
  // arrays and set-returning helpers
  'array_length', 'array_position', 'array_positions', 'array_append', 'array_prepend', 'array_cat', 'array_remove',
  'array_replace', 'array_dims', 'array_lower', 'array_upper', 'array_ndims', 'array_fill', 'cardinality', 'trim_array',
  'unnest', 'generate_series', 'generate_subscripts',
  // ranges
  'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange', 'isempty', 'lower_inc', 'upper_inc', 'lower_inf',
  'upper_inf', 'range_merge',
  // ids
  'gen_random_uuid', 'uuidv4', 'uuidv7',
  // full-text search (none of these takes SQL text; ts_stat and ts_rewrite do, and are refused)
  'to_tsvector', 'to_tsquery', 'plainto_tsquery', 'phraseto_tsquery', 'websearch_to_tsquery', 'ts_rank', 'ts_rank_cd',
  'ts_headline', 'setweight', 'strip', 'tsvector_to_array', 'array_to_tsvector', 'numnode', 'querytree', 'ts_delete', 'ts_filter',
]);

/**
 * Never allowed, not even through `allowFunctions`: they run SQL text the guard never parsed,
 * forge the tenant context, or act outside the statement. The reason goes into the refusal.
 * (current_setting is merely not allowed: a product has no business reading settings, but a
 * test may list it to look at its own transaction.)
 */
const NEVER: readonly [RegExp, string][] = [
  [/^(query|table|cursor|schema|database)_to_xml(schema|_and_xmlschema)?$/, 'it runs SQL text the guard never parsed'],
  [/^ts_(stat|rewrite)$/, 'it runs SQL text the guard never parsed'],
  [/^set_config$/, 'the settings, and the tenant context among them, belong to the scoped client'],
  [/^pg_(try_)?advisory_/, 'advisory locks are shared by every tenant'],
  [/^(pg_notify|pg_sleep.*)$/, 'it acts outside the statement'],
  [/^dblink/, 'it runs SQL on another connection'],
  [/^(lo_.*|loread|lowrite)$/, 'large objects are not tenant data'],
  [/^pg_(read_file|read_binary_file|ls_.*|stat_file)$/, 'it reads the server’s files'],
  [/^pg_(cancel_backend|terminate_backend|reload_conf|rotate_logfile)$/, 'it signals the server'],
  [/^(nextval|setval|currval|lastval)$/, 'sequences are shared by every tenant'],
  [/^(pg_stat_.*|pg_get_.*|has_.*_privilege|obj_description|col_description|shobj_description|version)$/, 'it reads the catalogs'],
];

/** Why `name` (unqualified, lower case) may never be allowed, or undefined. */
export function neverAllowed(name: string): string | undefined {
  return NEVER.find(([pattern]) => pattern.test(name))?.[1];
}
