/**
 * LiteLLM StandardLoggingPayload examples written from its documented schema (proxy/logging_spec):
 * a success with a virtual key, team and messages; a failure with error_information; and a payload
 * with fields of the wrong type. Keys and hashes are made up.
 */
const keyHash = ['88dc28d0f030c55ed4ab77ed8faf0981', '41c4b1c2a4e7f2e0b8ed5d5b3f4dcd21'].join('');

export const litellmSuccess = {
  id: 'chatcmpl-2299b6a2-82a3-465a-b47c-04e685a2227f',
  trace_id: '97311c8c-5a3b-4a0e-9a1b-0b5d6d5a2e55',
  call_type: 'acompletion',
  cache_hit: false,
  stream: false,
  status: 'success',
  custom_llm_provider: 'openai',
  saved_cache_cost: 0.0,
  startTime: 1764583200.123,
  endTime: 1764583201.623,
  completionStartTime: 1764583201.623,
  response_time: 1.5,
  model: 'gpt-4o',
  model_id: 'b6a6f6c1d1a54e0e9b6a',
  model_group: 'gpt-4o',
  api_base: 'https://api.openai.com/v1',
  metadata: {
    user_api_key_hash: keyHash,
    user_api_key_alias: 'checkout-prod-key',
    user_api_key_org_id: null,
    user_api_key_team_id: 'team-payments',
    user_api_key_user_id: 'u-4711',
    user_api_key_team_alias: 'payments',
    spend_logs_metadata: { environment: 'production' },
    requester_ip_address: '81.2.69.160',
    requester_metadata: {},
  },
  cache_key: null,
  response_cost: 0.000_875,
  total_tokens: 95,
  prompt_tokens: 70,
  completion_tokens: 25,
  request_tags: ['checkout'],
  end_user: 'customer-991',
  requester_ip_address: '81.2.69.160',
  messages: [
    { role: 'system', content: 'You answer billing questions.' },
    { role: 'user', content: 'My card 4111 1111 1111 1111 was charged twice, email me at jane.roe@example.com' },
  ],
  response: {
    id: 'chatcmpl-2299b6a2-82a3-465a-b47c-04e685a2227f',
    object: 'chat.completion',
    model: 'gpt-4o-2024-08-06',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'I have opened a refund request for the duplicate charge.' } }],
    usage: { prompt_tokens: 70, completion_tokens: 25, total_tokens: 95 },
  },
  model_parameters: { temperature: 0.2 },
  hidden_params: { model_id: 'b6a6f6c1d1a54e0e9b6a', cache_key: null, api_base: 'https://api.openai.com/v1', response_cost: '0.000875', additional_headers: {}, litellm_model_name: 'openai/gpt-4o' },
  model_map_information: { model_map_key: 'gpt-4o', model_map_value: null },
  error_str: null,
  error_information: { error_code: '', error_class: '', llm_provider: '' },
  response_cost_failure_debug_info: null,
};

export const litellmFailure = {
  ...litellmSuccess,
  id: 'f3c0b5f4-8a6b-4b3e-9d0e-6e2c1f0a9b7d',
  status: 'failure',
  startTime: 1764583260.0,
  endTime: 1764583260.4,
  response_cost: 0,
  total_tokens: 0,
  prompt_tokens: 0,
  completion_tokens: 0,
  response: null,
  error_str: 'litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached for gpt-4o',
  error_information: { error_code: '429', error_class: 'RateLimitError', llm_provider: 'openai' },
};

export const litellmWrongTypes = { ...litellmSuccess, id: 'bad-1', prompt_tokens: '70', completion_tokens: -3 };
export const litellmAbsurd = { ...litellmSuccess, id: 'bad-2', prompt_tokens: 9_000_000_000 };
