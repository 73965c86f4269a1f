# Captures what LiteLLM (pip install litellm) hands its callbacks as standard_logging_object, for
# services/intake/litellm-captured.ts: python test/litellm-capture.py > captured.json (no network: mock responses).
import json, os, sys, time
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
import litellm
from litellm.integrations.custom_logger import CustomLogger

captured = []
class Capture(CustomLogger):
    def log_success_event(self, kwargs, response_obj, start_time, end_time):
        captured.append(kwargs.get("standard_logging_object"))
    def log_failure_event(self, kwargs, response_obj, start_time, end_time):
        captured.append(kwargs.get("standard_logging_object"))

litellm.callbacks = [Capture()]
md = {"user_api_key_hash": "hash-" + "0" * 58, "user_api_key_alias": "checkout-prod-key", "user_api_key_team_id": "team-payments",
      "user_api_key_team_alias": "payments", "user_api_key_user_id": "u-4711", "spend_logs_metadata": {"environment": "production"}}
litellm.completion(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "My email is jane.roe@example.com"}],
                   mock_response="Noted.", metadata=md, user="customer-991", api_key="sk-not-used")
try:
    litellm.completion(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "again"}], mock_response="litellm.RateLimitError", metadata=md, api_key="sk-not-used")
except Exception as e:
    print("raised", type(e).__name__, file=sys.stderr)
time.sleep(2)
json.dump(captured, sys.stdout, default=str, indent=1)
