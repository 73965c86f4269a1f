import { context, hasLetterAndDigit, prefix, type SecretRule } from '../rule.js';

const A = 'A-Za-z0-9_-';
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const UUID_G = () => new RegExp(`(?<![A-Za-z0-9-])${UUID}(?![A-Za-z0-9-])`, 'g');
/** Base64-ish 40 characters that is not a hex digest (git SHA, SHA-1): AWS secret keys mix cases. */
const awsSecretShape = (v: string) => /[A-Z]/.test(v) && /[a-z]/.test(v) && !/^[0-9a-f]+$/i.test(v);

export const cloudRules: SecretRule[] = [
  prefix({ id: 'aws_access_key_id', provider: 'aws', family: 'cloud', format: 'AKIA/ASIA/ABIA/ACCA + 16 [A-Z2-7]' }, ['AKIA', 'ASIA', 'ABIA', 'ACCA'], '[A-Z0-9]{16}', { lb: 'A-Za-z0-9', tail: 'A-Za-z0-9' }),
  context({ id: 'aws_secret_access_key', provider: 'aws', family: 'cloud', format: '40 [A-Za-z0-9/+] next to aws_secret_access_key, "secret access key" or an access key id' },
    ['aws_secret', 'secret_access_key', 'secret access key', 'secretaccesskey', 'secret-access-key', 'aws secret', 'akia', 'asia'],
    /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, { check: awsSecretShape, window: 200 }),
  prefix({ id: 'aws_bedrock_api_key', provider: 'aws', family: 'cloud', format: 'ABSK + 100-200 base64' }, ['ABSK'], '[A-Za-z0-9+/]{100,200}={0,2}', { lb: 'A-Za-z0-9+/', tail: 'A-Za-z0-9+/=' }),
  prefix({ id: 'aws_mws_key', provider: 'aws', family: 'cloud', format: 'amzn.mws. + UUID' }, ['amzn.mws.'], UUID),
  prefix({ id: 'google_oauth_access_token', provider: 'google', family: 'cloud', format: 'ya29. + 30-2000 [A-Za-z0-9_-]' }, ['ya29.'], `[${A}]{30,2000}`),
  prefix({ id: 'google_oauth_refresh_token', provider: 'google', family: 'cloud', format: '1// + 40-500 [A-Za-z0-9_-]' }, ['1//0'], `[${A}]{40,500}`, { lb: 'A-Za-z0-9_/-' }),
  prefix({ id: 'google_oauth_client_secret', provider: 'google', family: 'cloud', format: 'GOCSPX- + 28 [A-Za-z0-9_-]' }, ['GOCSPX-'], `[${A}]{26,32}`),
  prefix({ id: 'azure_storage_account_key', provider: 'azure', family: 'cloud', format: 'AccountKey= + 88 base64 (86 + ==)' }, ['AccountKey='], '([A-Za-z0-9+/]{86}==)', { ci: true, lb: 'A-Za-z0-9_', tail: '' }),
  prefix({ id: 'azure_shared_access_key', provider: 'azure', family: 'cloud', format: 'SharedAccessKey= + 44 base64 (Service Bus, Event Hubs, IoT Hub)' }, ['SharedAccessKey='], '([A-Za-z0-9+/]{42,43}=)', { ci: true, lb: 'A-Za-z0-9_', tail: '' }),
  prefix({ id: 'azure_sas_signature', provider: 'azure', family: 'cloud', format: 'sig= + 40-120 URL-encoded base64 in a SAS URL' }, ['sig='], '([A-Za-z0-9%+/]{40,120}={0,2})', { lb: 'A-Za-z0-9_', tail: '' }),
  prefix({ id: 'azure_ad_client_secret', provider: 'azure', family: 'cloud', format: '3 [A-Za-z0-9_~.-] + digit + Q~ + 31-34 [A-Za-z0-9_~.-]' }, ['Q~'], '[A-Za-z0-9_~.-]{31,34}', {
    head: '[A-Za-z0-9_~.-]{3}\\dQ~', back: 4, lb: 'A-Za-z0-9_~.-', check: hasLetterAndDigit,
  }),
  context({ id: 'azure_devops_pat', provider: 'azure_devops', family: 'cloud', format: '52 [a-z2-7] (base32) next to dev.azure.com / AZURE_DEVOPS' },
    ['dev.azure.com', 'visualstudio.com', 'azure_devops', 'azure devops', 'azuredevops', 'ado_pat', 'system_accesstoken'], /(?<![A-Za-z0-9])[a-z2-7]{52}(?![A-Za-z0-9])/g, { check: hasLetterAndDigit }),
  prefix({ id: 'azure_devops_pat_v2', provider: 'azure_devops', family: 'cloud', format: '84 [A-Za-z0-9] with AZDO at offset 76' }, ['AZDO'], '[A-Za-z0-9]{4}', { head: '[A-Za-z0-9]{76}AZDO', back: 76, lb: 'A-Za-z0-9', tail: 'A-Za-z0-9' }),
  prefix({ id: 'alibaba_access_key_id', provider: 'alibaba', family: 'cloud', format: 'LTAI + 12-20 [A-Za-z0-9]' }, ['LTAI'], '[A-Za-z0-9]{12,20}', { lb: 'A-Za-z0-9', tail: 'A-Za-z0-9', check: hasLetterAndDigit }),
  prefix({ id: 'tencent_secret_id', provider: 'tencent', family: 'cloud', format: 'AKID + 32 [A-Za-z0-9]' }, ['AKID'], '[A-Za-z0-9]{32}', { lb: 'A-Za-z0-9', tail: 'A-Za-z0-9' }),
  prefix({ id: 'digitalocean_pat', provider: 'digitalocean', family: 'cloud', format: 'dop_v1_ + 64 hex' }, ['dop_v1_'], '[0-9a-f]{64}'),
  prefix({ id: 'digitalocean_oauth_token', provider: 'digitalocean', family: 'cloud', format: 'doo_v1_ + 64 hex' }, ['doo_v1_'], '[0-9a-f]{64}'),
  prefix({ id: 'digitalocean_refresh_token', provider: 'digitalocean', family: 'cloud', format: 'dor_v1_ + 64 hex' }, ['dor_v1_'], '[0-9a-f]{64}'),
  prefix({ id: 'heroku_api_key', provider: 'heroku', family: 'cloud', format: 'HRKU- + 60 [A-Za-z0-9_-] (or HRKU-AA + 58)' }, ['HRKU-'], `[${A}]{50,70}`),
  context({ id: 'heroku_legacy_api_key', provider: 'heroku', family: 'cloud', format: 'UUID next to "heroku"' }, ['heroku'], UUID_G()),
  context({ id: 'cloudflare_api_token', provider: 'cloudflare', family: 'cloud', format: '40 [A-Za-z0-9_-] next to cloudflare / CF_API_TOKEN' }, ['cloudflare', 'cf_api_token', 'cf_token', 'cf-api-token', 'cf_api_key', 'x-auth-key'], /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40}(?![A-Za-z0-9_-])/g, { check: hasLetterAndDigit }),
  context({ id: 'cloudflare_global_api_key', provider: 'cloudflare', family: 'cloud', format: '37 hex next to cloudflare / X-Auth-Key' }, ['cloudflare', 'cf_api_key', 'x-auth-key'], /(?<![A-Za-z0-9])[0-9a-f]{37}(?![A-Za-z0-9])/g),
  prefix({ id: 'cloudflare_origin_ca_key', provider: 'cloudflare', family: 'cloud', format: 'v1.0- + 24 hex + - + 146 hex' }, ['v1.0-'], '[0-9a-f]{24}-[0-9a-f]{146}'),
  prefix({ id: 'fly_token', provider: 'fly', family: 'cloud', format: 'fo1_ + 43 [A-Za-z0-9_-], or FlyV1 fm1/fm2_ macaroons' }, ['fo1_', 'fm1r_', 'fm1a_', 'fm2_'], `[A-Za-z0-9_+/=-]{40,2000}`, { lb: 'A-Za-z0-9_+/=-' }),
  prefix({ id: 'scaleway_secret_key', provider: 'scaleway', family: 'cloud', format: 'SCW + 17 [A-Z0-9] access key' }, ['SCW'], '[A-Z0-9]{17}', { lb: 'A-Za-z0-9', tail: 'A-Za-z0-9', check: hasLetterAndDigit }),
  context({ id: 'linode_token', provider: 'linode', family: 'cloud', format: '64 hex next to "linode"' }, ['linode'], /(?<![A-Za-z0-9])[0-9a-f]{64}(?![A-Za-z0-9])/g),
  context({ id: 'hetzner_token', provider: 'hetzner', family: 'cloud', format: '64 [A-Za-z0-9] next to hcloud / hetzner' }, ['hcloud', 'hetzner'], /(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])/g, { check: hasLetterAndDigit }),
  context({ id: 'vultr_api_key', provider: 'vultr', family: 'cloud', format: '36 [A-Z0-9] next to "vultr"' }, ['vultr'], /(?<![A-Za-z0-9])[A-Z0-9]{36}(?![A-Za-z0-9])/g, { check: hasLetterAndDigit }),
  context({ id: 'ibm_cloud_api_key', provider: 'ibm', family: 'cloud', format: '44 [A-Za-z0-9_-] next to ibmcloud / IBM_CLOUD_API_KEY' }, ['ibmcloud', 'ibm_cloud', 'ibm cloud', 'bluemix'], /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{44}(?![A-Za-z0-9_-])/g, { check: hasLetterAndDigit }),
  prefix({ id: 'oracle_api_key_fingerprint_secret', provider: 'oracle', family: 'cloud', format: 'ocid1.credential. + 60 [a-z0-9] (customer secret key OCID)' }, ['ocid1.credential.'], '[a-z0-9.]{20,120}', { lb: 'A-Za-z0-9_.-' }),
];
