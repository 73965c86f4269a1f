import protobuf from 'protobufjs';

/**
 * The parts of opentelemetry-proto (v1, stable) the intake reads: trace and logs export requests
 * and their responses, plus google.rpc.Status for error bodies. No npm package of the Node 20
 * SDK line ships the .proto files (its serializer is hand-written and encode-only), so the
 * definitions are kept here; field numbers are the wire contract and the real OTLP exporter in
 * the tests proves them.
 */
const PROTO = `
syntax = "proto3";
package opentelemetry.proto;

message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }

message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
  message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
  message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
}
message Status { string message = 2; int32 code = 3; }

message ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; string schema_url = 3; }
message ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; string schema_url = 3; }
message LogRecord {
  fixed64 time_unix_nano = 1;
  fixed64 observed_time_unix_nano = 11;
  int32 severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  string event_name = 12;
}

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
message ExportLogsPartialSuccess { int64 rejected_log_records = 1; string error_message = 2; }

message RpcStatus { int32 code = 1; string message = 2; }
`;

/**
 * AnyValue on its own, in proto2: upstream wraps these seven in a proto3 `oneof value`, whose protobufjs
 * bookkeeping (a delete of the six other members for every value) turned each decoded value into a slow
 * dictionary object, a quarter of the decode time. proto2 optional fields have the same wire format and
 * keep presence: a member on the wire, zero or empty included, is an own property; anyValue() in otlp.ts
 * takes the one that is set.
 */
const ANY_VALUE = `
syntax = "proto2";
package opentelemetry.proto;
message AnyValue {
  optional string string_value = 1;
  optional bool bool_value = 2;
  optional int64 int_value = 3;
  optional double double_value = 4;
  optional ArrayValue array_value = 5;
  optional KeyValueList kvlist_value = 6;
  optional bytes bytes_value = 7;
}
`;
const root = protobuf.parse(PROTO, { keepCase: false }).root;
protobuf.parse(ANY_VALUE, root, { keepCase: false });
const t = (name: string) => root.lookupType(`opentelemetry.proto.${name}`);

export const ExportTraceServiceRequest = t('ExportTraceServiceRequest');
export const ExportTraceServiceResponse = t('ExportTraceServiceResponse');
export const ExportLogsServiceRequest = t('ExportLogsServiceRequest');
export const ExportLogsServiceResponse = t('ExportLogsServiceResponse');
export const RpcStatus = t('RpcStatus');
