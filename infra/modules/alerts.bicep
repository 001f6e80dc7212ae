// What tells lab informatics on call that the pipeline is not alive: an action group e-mailing
// the addresses given at deployment, four log alert rules on the workspace behind Application
// Insights, and a workbook of the pipeline's metrics over 30 days. The metrics are the app's
// OpenTelemetry instruments (docs/spec/metrics.md), which the Azure Monitor exporter writes to
// the AppMetrics table; Azure Monitor metric alerts cannot see them without the preview custom
// metrics with dimensions, so the rules are scheduled queries (infra/README.md).

param workspaceName string

param location string

param tags { *: string }

@description('Name stem of the action group, the rules and the workbook.')
param namePrefix string

@description('E-mail addresses the alerts go to (lab informatics on call).')
@minLength(1)
param emailAddresses string[]

@description('Alert events that fail to send within an hour before on call is told (the unsent-alerts timer retries every 15 minutes).')
@minValue(1)
param sendFailuresPerHour int = 2

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' existing = {
  name: workspaceName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${namePrefix}-oncall'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'lcnec-oncal'
    enabled: true
    emailReceivers: [
      for (address, i) in emailAddresses: {
        name: 'oncall-${i}'
        emailAddress: address
        useCommonAlertSchema: true
      }
    ]
  }
}

// Each rule: a query over the workspace, aggregated per window, compared with a threshold.
// Stateful (autoMitigate): it fires once and resolves itself when the condition clears.
var rules = [
  {
    name: 'export-late'
    severity: 1
    description: 'The nightly lab export has not arrived complete by its expected time (the export watchdog records lcnec.export.lateness above 0 hours).'
    frequency: 'PT15M'
    window: 'PT1H'
    query: 'AppMetrics | where Name == "lcnec.export.lateness" | project TimeGenerated, Hours = Max'
    aggregation: 'Maximum'
    column: 'Hours'
    threshold: 0
  }
  {
    name: 'alert-send-failures'
    severity: 1
    description: 'Alert events could not be handed to Service Bus (lcnec.alerts.send_failures): care teams are not being told. They stay unsent and are retried.'
    frequency: 'PT15M'
    window: 'PT1H'
    query: 'AppMetrics | where Name == "lcnec.alerts.send_failures" | project TimeGenerated, Failures = Sum'
    aggregation: 'Total'
    column: 'Failures'
    threshold: sendFailuresPerHour - 1
  }
  {
    name: 'poison-entries'
    severity: 2
    description: 'Blobs of lab-exports failed five deliveries and the nightly sweep could not ingest them either (lcnec.poison.entries, outcome left).'
    frequency: 'PT1H'
    window: 'P1D'
    query: 'AppMetrics | where Name == "lcnec.poison.entries" and tostring(Properties["outcome"]) == "left" | project TimeGenerated, Entries = Sum'
    aggregation: 'Total'
    column: 'Entries'
    threshold: 0
  }
  {
    name: 'function-failures'
    severity: 2
    description: 'Function invocations failed (a bad file never fails an invocation: this is storage, Service Bus, configuration or a defect).'
    frequency: 'PT15M'
    window: 'PT1H'
    query: 'AppRequests | where Success == false | project TimeGenerated, OperationName'
    aggregation: 'Count'
    column: ''
    threshold: 0
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in rules: {
    name: 'alert-${namePrefix}-${rule.name}'
    location: location
    tags: tags
    properties: {
      displayName: 'LcnecBatch: ${rule.name}'
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [
        workspace.id
      ]
      evaluationFrequency: rule.frequency
      windowSize: rule.window
      autoMitigate: true
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: rule.aggregation
            metricMeasureColumn: empty(rule.column) ? null : rule.column
            operator: 'GreaterThan'
            threshold: rule.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: [
          actionGroup.id
        ]
      }
    }
  }
]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, namePrefix, 'pipeline-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'LcnecBatch pipeline (30 days)'
    category: 'workbook'
    sourceId: workspace.id
    serializedData: loadTextContent('workbook.json')
  }
}

output actionGroupName string = actionGroup.name
output alertRuleNames string[] = [for (rule, i) in rules: alertRules[i].name]
