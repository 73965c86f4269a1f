// Generates the Kibana saved objects (NDJSON) in this folder: node deploy/kibana/build.mjs
// The NDJSON is what gets imported and what test/kibana.test.ts checks against the index templates;
// this script exists because Lens and map state are JSON inside JSON strings, unreadable by hand.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CORE = { coreMigrationVersion: '8.8.0', managed: false };
const EVENTS = 'llm-audit-events';
const ALERTS = 'llm-audit-alerts';
const REVEALS = 'llm-audit-reveal-audit';
const INTEGRITY = 'llm-audit-integrity';
const HOLDS = 'llm-audit-legal-hold';

const dataView = (id, title, name, timeFieldName = '@timestamp') => ({
  id, type: 'index-pattern', ...CORE, typeMigrationVersion: '8.0.0', references: [],
  attributes: { title, name, timeFieldName, fieldFormatMap: '{}', runtimeFieldMap: '{}', fieldAttrs: '{}', allowNoIndex: true },
});

const search = (id, title, description, view, kql, columns, sort = [['@timestamp', 'desc']]) => ({
  id, type: 'search', ...CORE, typeMigrationVersion: '8.0.0',
  attributes: {
    title, description, columns, sort, grid: {}, hideChart: false, isTextBasedQuery: false,
    kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: kql, language: 'kuery' }, filter: [], indexRefName: 'kibanaSavedObjectMeta.searchSourceJSON.index' }) },
  },
  references: [{ name: 'kibanaSavedObjectMeta.searchSourceJSON.index', type: 'index-pattern', id: view }],
});

// Lens columns
const dateHist = (label = '@timestamp') => ({ label, dataType: 'date', operationType: 'date_histogram', sourceField: '@timestamp', isBucketed: true, scale: 'interval', params: { interval: 'auto', includeEmptyRows: true, dropPartials: false } });
const terms = (field, label, orderBy, size = 10, dataType = 'string') => ({
  label, dataType, operationType: 'terms', sourceField: field, isBucketed: true, scale: 'ordinal',
  params: { size, orderBy: orderBy ? { type: 'column', columnId: orderBy } : { type: 'alphabetical', fallback: true }, orderDirection: 'desc', otherBucket: true, missingBucket: false, parentFormat: { id: 'terms' } },
});
const count = (label = 'Calls') => ({ label, dataType: 'number', operationType: 'count', sourceField: '___records___', isBucketed: false, scale: 'ratio', params: { emptyAsNull: true } });
const metric = (op, field, label, dataType = 'number') => ({ label, dataType, operationType: op, sourceField: field, isBucketed: false, scale: 'ratio', params: { emptyAsNull: true } });

function lens(id, title, description, view, vis, columns, kql = '') {
  const layerId = 'layer1';
  const order = Object.keys(columns);
  let visualization;
  const bucket = order.filter((c) => columns[c].isBucketed);
  const metrics = order.filter((c) => !columns[c].isBucketed);
  if (vis.type === 'xy') {
    const x = bucket.find((c) => columns[c].operationType === 'date_histogram') ?? bucket[0];
    const split = bucket.find((c) => c !== x);
    visualization = {
      legend: { isVisible: true, position: 'right' }, valueLabels: 'hide', preferredSeriesType: vis.series ?? 'bar_stacked', fittingFunction: 'None',
      layers: [{ layerId, layerType: 'data', seriesType: vis.series ?? 'bar_stacked', xAccessor: x, accessors: metrics, ...(split ? { splitAccessor: split } : {}), position: 'top', showGridlines: false }],
    };
  } else if (vis.type === 'pie') {
    visualization = { shape: 'donut', layers: [{ layerId, layerType: 'data', primaryGroups: bucket, metrics, numberDisplay: 'percent', categoryDisplay: 'default', legendDisplay: 'default', nestedLegend: false }] };
  } else if (vis.type === 'table') {
    visualization = { layerId, layerType: 'data', columns: order.map((columnId) => ({ columnId })) };
  } else if (vis.type === 'metric') {
    visualization = { layerId, layerType: 'data', metricAccessor: metrics[0] };
  }
  const visualizationType = { xy: 'lnsXY', pie: 'lnsPie', table: 'lnsDatatable', metric: 'lnsMetric' }[vis.type];
  return {
    id, type: 'lens', ...CORE, typeMigrationVersion: '8.9.0',
    attributes: {
      title, description, visualizationType,
      state: {
        datasourceStates: { formBased: { layers: { [layerId]: { columns, columnOrder: order, incompleteColumns: {}, sampling: 1 } } } },
        visualization, query: { query: kql, language: 'kuery' }, filters: [], internalReferences: [], adHocDataViews: {},
      },
    },
    references: [{ type: 'index-pattern', id: view, name: `indexpattern-datasource-layer-${layerId}` }],
  };
}

function countriesMap(id, title) {
  const layers = [
    { id: 'basemap', type: 'EMS_VECTOR_TILE', label: null, minZoom: 0, maxZoom: 24, alpha: 1, visible: true, style: { type: 'EMS_VECTOR_TILE' }, sourceDescriptor: { type: 'EMS_TMS', isAutoSelect: true, lightModeDefault: 'road_map_desaturated' } },
    {
      id: 'countries', type: 'GEOJSON_VECTOR', label: 'Calls by source country', minZoom: 0, maxZoom: 24, alpha: 0.75, visible: true,
      sourceDescriptor: { type: 'EMS_FILE', id: 'world_countries', tooltipProperties: ['name', 'iso2'] },
      joins: [{ leftField: 'iso2', right: { type: 'ES_TERM_SOURCE', id: 'calls-by-country', indexPatternRefName: 'layer_1_join_0_index_pattern', term: 'source.geo.country_iso_code', metrics: [{ type: 'count', label: 'calls' }], applyGlobalQuery: true, applyGlobalTime: true, applyForceRefresh: true } }],
      style: { type: 'VECTOR', isTimeAware: true, properties: { fillColor: { type: 'DYNAMIC', options: { color: 'Blues', colorCategory: 'palette_0', field: { name: '__kbnjoin__count__calls-by-country', origin: 'join' }, fieldMetaOptions: { isEnabled: true, sigma: 3 }, type: 'ORDINAL' } }, lineColor: { type: 'STATIC', options: { color: '#3d3d3d' } }, lineWidth: { type: 'STATIC', options: { size: 1 } } } },
    },
    {
      id: 'sources', type: 'HEATMAP', label: 'Source locations', minZoom: 0, maxZoom: 24, alpha: 0.75, visible: true,
      sourceDescriptor: { type: 'ES_GEO_GRID', id: 'source-grid', geoField: 'source.geo.location', requestType: 'heatmap', resolution: 'COARSE', metrics: [{ type: 'count' }], indexPatternRefName: 'layer_2_source_index_pattern', applyGlobalQuery: true, applyGlobalTime: true, applyForceRefresh: true },
      style: { type: 'HEATMAP', colorRampName: 'theclassic' },
    },
  ];
  return {
    id, type: 'map', ...CORE, typeMigrationVersion: '8.4.0',
    attributes: {
      title, description: 'Where API calls come from: country choropleth (source.geo.country_iso_code) and a heatmap of source.geo.location.',
      layerListJSON: JSON.stringify(layers),
      mapStateJSON: JSON.stringify({ zoom: 1.2, center: { lon: 10, lat: 25 }, timeFilters: { from: 'now-24h', to: 'now' }, refreshConfig: { isPaused: true, interval: 0 }, query: { query: '', language: 'kuery' }, filters: [], settings: { autoFitToDataBounds: false } }),
      uiStateJSON: JSON.stringify({ isLayerTOCOpen: true, openTOCDetails: [] }),
    },
    references: [
      { name: 'layer_1_join_0_index_pattern', type: 'index-pattern', id: EVENTS },
      { name: 'layer_2_source_index_pattern', type: 'index-pattern', id: EVENTS },
    ],
  };
}

function dashboard(id, title, description, panels) {
  let y = 0;
  let x = 0;
  let rowH = 0;
  const placed = panels.map(([obj, w = 24, h = 15], i) => {
    if (x + w > 48) {
      x = 0;
      y += rowH;
      rowH = 0;
    }
    const p = { version: '8.9.0', type: obj.type, gridData: { x, y, w, h, i: `p${i + 1}` }, panelIndex: `p${i + 1}`, embeddableConfig: { enhancements: {} }, panelRefName: `panel_p${i + 1}` };
    x += w;
    rowH = Math.max(rowH, h);
    return [p, { name: `p${i + 1}:panel_p${i + 1}`, type: obj.type, id: obj.id }];
  });
  return {
    id, type: 'dashboard', ...CORE, typeMigrationVersion: '8.9.0',
    attributes: {
      title, description, panelsJSON: JSON.stringify(placed.map((p) => p[0])),
      optionsJSON: JSON.stringify({ useMargins: true, syncColors: false, syncCursor: true, syncTooltips: false, hidePanelTitles: false }),
      timeRestore: true, timeFrom: 'now-24h', timeTo: 'now', refreshInterval: { pause: false, value: 60000 },
      kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: '', language: 'kuery' }, filter: [] }) },
    },
    references: placed.map((p) => p[1]),
  };
}

const FAILED_AUTH = 'http.response.status_code : (401 or 403) or error.code : ("invalid_api_key" or "authentication_error" or "permission_denied")';
const views = [
  dataView(EVENTS, 'llm-audit-events-*', 'llm-audit events'),
  dataView(ALERTS, 'llm-audit-alerts-*', 'llm-audit alerts'),
  dataView(REVEALS, 'llm-audit-reveal-audit*', 'llm-audit reveals and erasures'),
  dataView(INTEGRITY, 'llm-audit-integrity', 'llm-audit integrity seals'),
  dataView(HOLDS, 'llm-audit-legal-hold', 'llm-audit legal holds', 'created_at'),
];

const hunts = {
  key: search('llm-audit-hunt-key', 'Hunt: all calls of one key', 'Replace KEY_ID with the key (llm_audit.api_key.id) under investigation.', EVENTS, 'llm_audit.api_key.id : "KEY_ID"',
    ['llm_audit.api_key.id', 'llm_audit.owner.team', 'service.name', 'source.ip', 'source.geo.country_iso_code', 'user.id', 'http.response.status_code', 'gen_ai.request.model', 'gen_ai.usage.total_tokens', 'llm_audit.cost.usd']),
  auth: search('llm-audit-hunt-failed-auth', 'Hunt: failed auth by source IP', 'Calls refused for bad or unauthorised keys; add a source.ip filter or group by it in the SOC dashboard.', EVENTS, FAILED_AUTH,
    ['source.ip', 'source.geo.country_iso_code', 'llm_audit.api_key.id', 'http.response.status_code', 'error.code', 'user_agent.original'], [['source.ip', 'asc'], ['@timestamp', 'desc']]),
  countries: search('llm-audit-hunt-new-countries', 'Hunt: traffic from new countries', 'Geo alerts: a key used from a country outside its baseline (rule geo_anomaly). Pivot to the key with the first hunt.', ALERTS, 'rule.name : "geo_anomaly" or llm_audit.alert.kind : "geo_anomaly"',
    ['rule.name', 'llm_audit.api_key.id', 'source.geo.country_iso_code', 'source.ip', 'llm_audit.alert.severity', 'llm_audit.alert.status', 'message']),
  pii: search('llm-audit-hunt-pii', 'Hunt: PII findings', 'Calls whose prompt or completion carried PII or secrets (tokenized before storage; originals only in the restricted vault).', EVENTS, 'llm_audit.pii.count > 0',
    ['llm_audit.api_key.id', 'llm_audit.owner.team', 'llm_audit.pii.types', 'llm_audit.pii.count', 'service.name']),
  open: search('llm-audit-open-alerts', 'Open alerts', 'Alerts not yet acknowledged or resolved.', ALERTS, 'llm_audit.alert.status : "open"',
    ['rule.name', 'llm_audit.alert.severity', 'llm_audit.api_key.id', 'llm_audit.owner.team', 'llm_audit.alert.count', 'message']),
};

const soc = {
  calls: lens('llm-audit-soc-calls', 'Calls over time by team', '', EVENTS, { type: 'xy' }, { x: dateHist(), m: count(), s: terms('llm_audit.owner.team', 'Team', 'm') }),
  tokens: lens('llm-audit-soc-tokens', 'Tokens over time by environment', '', EVENTS, { type: 'xy', series: 'area_stacked' }, { x: dateHist(), m: metric('sum', 'gen_ai.usage.total_tokens', 'Tokens'), s: terms('llm_audit.environment', 'Environment', 'm', 5) }),
  cost: lens('llm-audit-soc-cost', 'Cost (USD) over time by team', '', EVENTS, { type: 'xy' }, { x: dateHist(), m: metric('sum', 'llm_audit.cost.usd', 'Cost USD'), s: terms('llm_audit.owner.team', 'Team', 'm') }),
  errors: lens('llm-audit-soc-errors', 'Error mix', 'Failed calls by provider error code.', EVENTS, { type: 'pie' }, { s: terms('error.code', 'Error', 'm'), m: count() }, 'event.outcome : "failure"'),
  status: lens('llm-audit-soc-status', 'Failures by HTTP status and environment', '', EVENTS, { type: 'xy' }, { x: terms('http.response.status_code', 'Status', 'm', 10, 'number'), m: count(), s: terms('service.environment', 'Environment', 'm', 3) }, 'http.response.status_code >= 400'),
  keys: lens('llm-audit-soc-top-keys', 'Top keys', 'Keys by calls, with their tokens and cost.', EVENTS, { type: 'table' }, {
    k: terms('llm_audit.api_key.id', 'Key', 'm', 20), t: terms('llm_audit.owner.team', 'Team', 'm', 1), m: count(), tok: metric('sum', 'gen_ai.usage.total_tokens', 'Tokens'), usd: metric('sum', 'llm_audit.cost.usd', 'Cost USD'), ips: metric('unique_count', 'source.ip', 'Source IPs'),
  }),
  authIps: lens('llm-audit-soc-failed-auth-ips', 'Failed auth by source IP', '', EVENTS, { type: 'table' }, {
    ip: terms('source.ip', 'Source IP', 'm', 20, 'ip'), c: terms('source.geo.country_iso_code', 'Country', 'm', 1), m: count('Failed calls'), keys: metric('unique_count', 'llm_audit.api_key.id', 'Keys tried'),
  }, FAILED_AUTH),
  alerts: lens('llm-audit-soc-open-alerts', 'Open alerts by rule and severity', '', ALERTS, { type: 'xy', series: 'bar_horizontal_stacked' }, { r: terms('rule.name', 'Rule', 'm'), m: count('Alerts'), s: terms('llm_audit.alert.severity', 'Severity', 'm', 4) }, 'llm_audit.alert.status : "open"'),
  map: countriesMap('llm-audit-soc-map', 'Source countries'),
};

const comp = {
  pii: lens('llm-audit-comp-pii', 'PII findings by type over time', '', EVENTS, { type: 'xy' }, { x: dateHist(), m: metric('sum', 'llm_audit.pii.count', 'Findings'), s: terms('llm_audit.pii.types', 'Type', 'm', 10) }, 'llm_audit.pii.count > 0'),
  piiTeams: lens('llm-audit-comp-pii-teams', 'PII findings by team', '', EVENTS, { type: 'table' }, { t: terms('llm_audit.owner.team', 'Team', 'm', 20), m: metric('sum', 'llm_audit.pii.count', 'Findings'), c: count('Calls with PII') }, 'llm_audit.pii.count > 0'),
  reveals: lens('llm-audit-comp-reveals', 'Reveals and erasures performed', '', REVEALS, { type: 'xy' }, { x: dateHist(), m: count('Actions'), s: terms('event.action', 'Action', 'm', 5) }),
  revealers: lens('llm-audit-comp-revealers', 'Who revealed what', '', REVEALS, { type: 'table' }, { u: terms('user.name', 'User', 'm', 20), a: terms('event.action', 'Action', 'm', 5), t: terms('token_type', 'Type', 'm', 10), m: count('Actions') }),
  oldest: lens('llm-audit-comp-oldest', 'Oldest retained event', 'Retention status: events older than the retention period should not exist unless held.', EVENTS, { type: 'metric' }, { m: metric('min', '@timestamp', 'Oldest event', 'date') }),
  perDay: lens('llm-audit-comp-days', 'Retained events per day', '', EVENTS, { type: 'xy' }, { x: { ...dateHist(), params: { interval: '1d', includeEmptyRows: true, dropPartials: false } }, m: count('Events') }),
  seals: lens('llm-audit-comp-seals', 'Integrity seals and last verification', '', INTEGRITY, { type: 'table' }, { i: terms('index', 'Index', 'c', 100), v: terms('last_verify.status', 'Last verify', 'c', 3), c: metric('max', 'count', 'Documents sealed') }, 'kind : "head"'),
  holds: search('llm-audit-comp-holds', 'Active legal holds', 'Holds exempt indices or teams from retention deletion (llm-audit hold list).', HOLDS, 'active : true', ['hold_id', 'scope', 'index_pattern', 'team', 'created_by', 'reason'], [['created_at', 'desc']]),
  revealLog: search('llm-audit-comp-reveal-log', 'Reveal and erasure log', 'Every reveal of a tokenized original and every subject erasure: who, when, why.', REVEALS, '', ['event.action', 'event.outcome', 'user.name', 'token_type', 'token', 'key_version', 'reason', 'host.name']),
};

const socDash = dashboard('llm-audit-soc', 'llm-audit: SOC', 'LLM API traffic for security analysts: volume, tokens and cost by team and environment, errors, top keys, source countries, open alerts.', [
  [soc.calls], [soc.tokens], [soc.cost], [soc.errors, 12], [soc.status, 12], [soc.keys, 24, 18], [soc.map, 24, 18], [soc.alerts], [soc.authIps], [hunts.open, 48, 15],
]);
const compDash = dashboard('llm-audit-compliance', 'llm-audit: compliance', 'PII findings, reveals and erasures, retention and integrity status, legal holds.', [
  [comp.pii], [comp.piiTeams], [comp.reveals], [comp.revealers], [comp.oldest, 12, 10], [comp.perDay, 36, 10], [comp.seals], [comp.holds], [comp.revealLog, 48, 15],
]);

const write = (file, objs) => writeFileSync(join(here, file), objs.map((o) => JSON.stringify(o)).join('\n') + '\n');
write('data-views.ndjson', views);
write('soc.ndjson', [...Object.values(hunts), ...Object.values(soc), socDash]);
write('compliance.ndjson', [...Object.values(comp), compDash]);
