import { checksumOrRandom, context, crc32Base62Suffix, hasLetterAndDigit, prefix, type SecretRule } from '../rule.js';

const A = 'A-Za-z0-9_-';
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const GH_CRC = 'last 6 characters are base62(CRC32) of the 30 before them';
const gh = (id: string, kind: string, p: string) =>
  prefix({ id, provider: 'github', family: 'code', format: `${p} + 36 [A-Za-z0-9] (${kind})`, checksum: GH_CRC }, [p], '[A-Za-z0-9]{36}', { check: checksumOrRandom(crc32Base62Suffix(4), 4), lb: 'A-Za-z0-9_', tail: 'A-Za-z0-9_' });
const gl = (id: string, kind: string, p: string, body = `[${A}]{20,64}(?:\\.[0-9a-z]{2}\\.[0-9a-z]{7,12})?`) =>
  prefix({ id, provider: 'gitlab', family: 'code', format: `${p} + ${kind}` }, [p], body, { lb: 'A-Za-z0-9_.-' });

export const codeRules: SecretRule[] = [
  gh('github_pat', 'classic personal access token', 'ghp_'),
  gh('github_oauth_token', 'OAuth access token', 'gho_'),
  gh('github_user_to_server_token', 'GitHub App user-to-server token', 'ghu_'),
  gh('github_server_to_server_token', 'GitHub App installation token', 'ghs_'),
  gh('github_refresh_token', 'GitHub App refresh token', 'ghr_'),
  prefix({ id: 'github_fine_grained_pat', provider: 'github', family: 'code', format: 'github_pat_ + 22 [A-Za-z0-9] + _ + 59 [A-Za-z0-9]' }, ['github_pat_'], '[A-Za-z0-9]{22}_[A-Za-z0-9]{59}'),
  gl('gitlab_pat', '20 [A-Za-z0-9_-] (optionally .01. + 9 routing chars)', 'glpat-'),
  gl('gitlab_pipeline_trigger_token', '40 hex', 'glptt-', '[0-9a-f]{40}'),
  gl('gitlab_deploy_token', '20 [A-Za-z0-9_-]', 'gldt-'),
  gl('gitlab_runner_token', '20 [A-Za-z0-9_-]', 'glrt-'),
  gl('gitlab_runner_registration_token', '20 [A-Za-z0-9_-]', 'GR1348941'),
  gl('gitlab_oauth_secret', '64 hex', 'gloas-', '[0-9a-f]{64}'),
  gl('gitlab_feed_token', '20 [A-Za-z0-9_-]', 'glft-'),
  gl('gitlab_incoming_mail_token', '20 [A-Za-z0-9_-]', 'glimt-', `[${A}]{25}`),
  gl('gitlab_agent_token', '50 [A-Za-z0-9_-]', 'glagent-', `[${A}]{50}`),
  gl('gitlab_scim_token', '20 [A-Za-z0-9_-]', 'glsoat-'),
  gl('gitlab_feature_flag_token', '20 [A-Za-z0-9_-]', 'glffct-'),
  gl('gitlab_cicd_job_token', '20+ [A-Za-z0-9_-]', 'glcbt-', `[0-9a-zA-Z]{1,5}_[${A}]{20}`),
  prefix({ id: 'bitbucket_app_password', provider: 'bitbucket', family: 'code', format: 'ATBB + 32 [A-Za-z0-9] + 8 hex (CRC)' }, ['ATBB'], '[A-Za-z0-9_=.-]{28,40}', { lb: 'A-Za-z0-9', check: hasLetterAndDigit }),
  prefix({ id: 'bitbucket_access_token', provider: 'bitbucket', family: 'code', format: 'ATCTT3xFfGN0 + 160-200 [A-Za-z0-9_=-]' }, ['ATCTT3xFfGN0'], '[A-Za-z0-9_=-]{150,220}', { lb: 'A-Za-z0-9' }),
  prefix({ id: 'npm_token', provider: 'npm', family: 'code', format: 'npm_ + 36 [A-Za-z0-9]', checksum: GH_CRC }, ['npm_'], '[A-Za-z0-9]{36}', { check: checksumOrRandom(crc32Base62Suffix(4), 4), lb: 'A-Za-z0-9_', tail: 'A-Za-z0-9_' }),
  prefix({ id: 'pypi_token', provider: 'pypi', family: 'code', format: 'pypi-AgEIcHlwaS5vcmc + 50-300 [A-Za-z0-9_-] (macaroon)' }, ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'], `[${A}]{50,400}`),
  prefix({ id: 'dockerhub_pat', provider: 'docker', family: 'code', format: 'dckr_pat_ + 27 [A-Za-z0-9_-]' }, ['dckr_pat_'], `[${A}]{24,40}`),
  prefix({ id: 'dockerhub_oat', provider: 'docker', family: 'code', format: 'dckr_oat_ + 32 [A-Za-z0-9_-] (organisation access token)' }, ['dckr_oat_'], `[${A}]{24,40}`),
  prefix({ id: 'rubygems_key', provider: 'rubygems', family: 'code', format: 'rubygems_ + 48 hex' }, ['rubygems_'], '[0-9a-f]{48}'),
  prefix({ id: 'nuget_key', provider: 'nuget', family: 'code', format: 'oy2 + 43 [a-z0-9]' }, ['oy2'], '[a-z0-9]{43}', { lb: 'A-Za-z0-9', tail: 'A-Za-z0-9', check: hasLetterAndDigit }),
  prefix({ id: 'crates_io_token', provider: 'crates_io', family: 'code', format: 'cio + 32 [A-Za-z0-9]' }, ['cio'], '[A-Za-z0-9]{32}', { lb: 'A-Za-z0-9', tail: 'A-Za-z0-9', check: hasLetterAndDigit }),
  prefix({ id: 'jfrog_api_key', provider: 'jfrog', family: 'code', format: 'AKCp + 69 [A-Za-z0-9]' }, ['AKCp'], '[A-Za-z0-9]{65,75}', { lb: 'A-Za-z0-9' }),
  prefix({ id: 'jfrog_reference_token', provider: 'jfrog', family: 'code', format: 'cmVmdGtu + 56 [A-Za-z0-9]' }, ['cmVmdGtu'], '[A-Za-z0-9]{50,60}', { lb: 'A-Za-z0-9' }),
  prefix({ id: 'sonarqube_token', provider: 'sonarqube', family: 'code', format: 'squ_/sqp_/sqa_ + 40 hex' }, ['squ_', 'sqp_', 'sqa_'], '[0-9a-f]{40}'),
  context({ id: 'codecov_token', provider: 'codecov', family: 'code', format: 'UUID next to codecov / CODECOV_TOKEN' }, ['codecov'], new RegExp(`(?<![A-Za-z0-9-])${UUID}(?![A-Za-z0-9-])`, 'g')),
  context({ id: 'sidekiq_credentials', provider: 'contribsys', family: 'code', format: '8 hex : 8 hex next to BUNDLE_ENTERPRISE__CONTRIBSYS__COM / gems.contribsys.com (Sidekiq Pro/Enterprise)' }, ['contribsys'], /(?<![A-Za-z0-9])[0-9a-f]{8}:[0-9a-f]{8}(?![A-Za-z0-9])/g),
  context({ id: 'snyk_token', provider: 'snyk', family: 'code', format: 'UUID next to "snyk"' }, ['snyk'], new RegExp(`(?<![A-Za-z0-9-])${UUID}(?![A-Za-z0-9-])`, 'g')),
  prefix({ id: 'circleci_pat', provider: 'circleci', family: 'code', format: 'CCIPAT_ + 22 [A-Za-z0-9] + _ + 40 hex' }, ['CCIPAT_', 'CCIPRJ_'], '[A-Za-z0-9]{22}_[0-9a-f]{40}'),
  prefix({ id: 'buildkite_token', provider: 'buildkite', family: 'code', format: 'bkua_ + 40 hex' }, ['bkua_'], '[0-9a-f]{40}'),
  prefix({ id: 'sourcegraph_token', provider: 'sourcegraph', family: 'code', format: 'sgp_ + 40 hex (optionally sgp_<16 hex>_<40 hex>)' }, ['sgp_'], '(?:[0-9a-f]{16}_)?[0-9a-f]{40}'),
  prefix({ id: 'postman_api_key', provider: 'postman', family: 'code', format: 'PMAK- + 24 hex + - + 34 hex' }, ['PMAK-'], '[0-9a-f]{24}-[0-9a-f]{34}'),
  prefix({ id: 'readme_api_key', provider: 'readme', family: 'code', format: 'rdme_ + 70 [a-z0-9]' }, ['rdme_'], '[a-z0-9]{70}'),
  prefix({ id: 'clojars_token', provider: 'clojars', family: 'code', format: 'CLOJARS_ + 60 [a-z0-9]' }, ['CLOJARS_'], '[a-z0-9]{60}'),
  prefix({ id: 'prefect_api_key', provider: 'prefect', family: 'code', format: 'pnu_ + 36 [A-Za-z0-9]' }, ['pnu_'], '[A-Za-z0-9]{36}'),
  prefix({ id: 'pulumi_token', provider: 'pulumi', family: 'devplatform', format: 'pul- + 40 hex' }, ['pul-'], '[0-9a-f]{40}'),
  prefix({ id: 'terraform_cloud_token', provider: 'hashicorp', family: 'data', format: '14 [A-Za-z0-9] + .atlasv1. + 60-70 [A-Za-z0-9_=-]' }, ['.atlasv1.'], '[A-Za-z0-9_=-]{60,70}', { head: '[A-Za-z0-9]{14}\\.atlasv1\\.', back: 14, lb: 'A-Za-z0-9' }),
  prefix({ id: 'vault_service_token', provider: 'hashicorp', family: 'data', format: 'hvs. + 90-120 [A-Za-z0-9_-] (legacy s. + 24 next to vault)' }, ['hvs.'], `[${A}]{24,200}`, { lb: 'A-Za-z0-9_.-' }),
  prefix({ id: 'vault_batch_token', provider: 'hashicorp', family: 'data', format: 'hvb. + 100-300 [A-Za-z0-9_-]' }, ['hvb.'], `[${A}]{100,300}`, { lb: 'A-Za-z0-9_.-' }),
  prefix({ id: 'vault_recovery_token', provider: 'hashicorp', family: 'data', format: 'hvr. + 24-100 [A-Za-z0-9_-]' }, ['hvr.'], `[${A}]{24,100}`, { lb: 'A-Za-z0-9_.-' }),
  context({ id: 'vault_legacy_token', provider: 'hashicorp', family: 'data', format: 's. + 24 [A-Za-z0-9] next to vault / VAULT_TOKEN' }, ['vault'], /(?<![A-Za-z0-9_.-])s\.[A-Za-z0-9]{24}(?![A-Za-z0-9_.-])/g, { check: hasLetterAndDigit }),
  prefix({ id: 'doppler_token', provider: 'doppler', family: 'data', format: 'dp.pt./dp.st./dp.sa./dp.ct./dp.scim./dp.audit. + 40-44 [A-Za-z0-9]' }, ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'], '(?:[a-z0-9_-]{1,40}\\.)?[A-Za-z0-9]{40,44}', { lb: 'A-Za-z0-9_.-' }),
  prefix({ id: 'infracost_key', provider: 'infracost', family: 'devplatform', format: 'ico- + 32 [A-Za-z0-9]' }, ['ico-'], '[A-Za-z0-9]{32}'),
  prefix({ id: 'harness_pat', provider: 'harness', family: 'devplatform', format: 'pat. + 22 id . 24 hex . 20 [A-Za-z0-9]' }, ['pat.'], '[A-Za-z0-9_-]{22}\\.[0-9a-f]{24}\\.[A-Za-z0-9]{20}', { lb: 'A-Za-z0-9_.-' }),
  prefix({ id: 'octopus_api_key', provider: 'octopus', family: 'devplatform', format: 'API- + 26-32 [A-Z0-9]' }, ['API-'], '[A-Z0-9]{26,32}', { check: hasLetterAndDigit }),
];
