// The alerts' transport (spec/alerts.md): one topic, one subscription per care team that
// routes on the message's careTeam application property, and a catch-all that keeps every
// alert, so an alert for a team without a subscription is never dropped by the topic.
// Entra ID only: local (SAS) auth is off, so no SharedAccessKey exists for it.

@description('Service Bus namespace name (6-50 characters).')
@minLength(6)
@maxLength(50)
param name string

param location string

param tags { *: string }

@description('Topic the app publishes alerts to.')
param topicName string

@description('Re-sends of the same MessageId inside this ISO 8601 window are dropped (20 seconds to 7 days).')
param duplicateDetectionWindow string

@description('How long an unread alert stays in a subscription before it is dead-lettered (ISO 8601).')
param alertTimeToLive string

@description('One subscription per care team, named after the team; the team id is the value of careTeam on the message.')
param careTeams string[]

@description('Subscription that receives every alert, whatever its care team.')
param catchAllSubscriptionName string

@description('Subscription that receives the export watchdog\'s operations messages (no patient data), and nothing else.')
param operationsSubscriptionName string = 'operations'
@description('Subscription that receives only escalations (reminders exhausted), e.g. for the thoracic tumour board coordinator.')
param escalationSubscriptionName string

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: topicName
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    defaultMessageTimeToLive: alertTimeToLive
    enableBatchedOperations: true
    maxSizeInMegabytes: 1024
  }
}

var subscriptionProperties = {
  deadLetteringOnMessageExpiration: true
  deadLetteringOnFilterEvaluationExceptions: true
  defaultMessageTimeToLive: alertTimeToLive
  lockDuration: 'PT1M'
  maxDeliveryCount: 10
  enableBatchedOperations: true
}

resource teamSubscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = [
  for team in careTeams: {
    parent: topic
    name: team
    properties: subscriptionProperties
  }
]

// A subscription is created with a $Default rule that matches every message; writing a
// rule of the same name replaces it, so the subscription gets only its team's alerts.
resource teamRules 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2024-01-01' = [
  for (team, i) in careTeams: {
    parent: teamSubscriptions[i]
    name: '$Default'
    properties: {
      filterType: 'SqlFilter'
      sqlFilter: {
        sqlExpression: 'careTeam = \'${team}\''
      }
    }
  }
]

// Every alert, whatever its care team; not the operations messages (they carry channel =
// 'operations', an alert never does), which have their own subscription.
resource catchAll 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: topic
  name: catchAllSubscriptionName
  properties: subscriptionProperties
}

resource catchAllRule 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2024-01-01' = {
  parent: catchAll
  name: '$Default'
  properties: {
    filterType: 'SqlFilter'
    sqlFilter: {
      sqlExpression: 'channel IS NULL'
    }
  }
}

// The export watchdog's operations messages (alerts.md, "Operations messages"): batch dates
// and counts, never patient data. Only messages with channel = 'operations' reach it; they
// carry no careTeam, so no care team's subscription ever gets one.
resource operations 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: topic
  name: operationsSubscriptionName
  properties: subscriptionProperties
}

resource operationsRule 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2024-01-01' = {
  parent: operations
  name: '$Default'
  properties: {
    filterType: 'SqlFilter'
    sqlFilter: {
      sqlExpression: 'channel = \'operations\''
    }
  }
}

// Escalations only: ServiceBusAlertSink sets the application property escalation to the
// string 'true' on an escalated alert and leaves it out otherwise, so the string is compared.
resource escalation 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: topic
  name: escalationSubscriptionName
  properties: subscriptionProperties
}

resource escalationRule 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2024-01-01' = {
  parent: escalation
  name: '$Default'
  properties: {
    filterType: 'SqlFilter'
    sqlFilter: {
      sqlExpression: 'escalation = \'true\''
    }
  }
}

output namespaceName string = namespace.name
// serviceBusEndpoint is https://{namespace}.servicebus.windows.net:443/ (or the sovereign
// cloud's suffix); the SDK and the Functions extension want the bare host name.
output fullyQualifiedNamespace string = parseUri(namespace.properties.serviceBusEndpoint).host
output topicName string = topic.name
output subscriptionNames string[] = [for team in careTeams: team]
output catchAllSubscriptionName string = catchAll.name
output operationsSubscriptionName string = operations.name
output escalationSubscriptionName string = escalation.name
