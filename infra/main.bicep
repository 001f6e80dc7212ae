// LcnecBatch in one resource group: the Functions app that ingests the lab's nightly exports,
// its storage, the care-team alerts topic, the pseudonym key and the app's telemetry.
// No secrets leave Azure: every connection is the app's user-assigned identity holding the
// least role it needs on the one resource it uses. Deploy: see infra/README.md.

targetScope = 'resourceGroup'

@description('Region of every resource; Flex Consumption must be available there.')
param location string = resourceGroup().location

@description('Start of every resource name: 2-10 lowercase letters and digits.')
@minLength(2)
@maxLength(10)
param namePrefix string = 'lcnec'

@description('Tags on every resource.')
param tags { *: string } = {}

@description('Care team ids, as they appear in careTeam on each alert; each gets its own subscription of the alerts topic (1-50 letters, digits, ".", "-", "_").')
@minLength(1)
param careTeams string[]

@description('Duplicate detection window of the alerts topic (ISO 8601, 20 seconds to 7 days): a re-sent alert with the same MessageId inside it is dropped. Longer than any gap between a send and the run that repeats it (15 minutes, or the next night\'s sweep).')
param duplicateDetectionWindow string = 'P7D'

@description('How long an unread alert waits in a care team\'s subscription before it is dead-lettered (ISO 8601).')
param alertTimeToLive string = 'P14D'

@description('Exports move to the cool tier this many days after upload.')
@minValue(1)
param coolAfterDays int = 30

@description('Replication of the storage account: the lab\'s exports are their only copy, so zone-redundant and geo-replicated by default (Standard_ZRS keeps the data in the region; Standard_GRS where the region has no zones).')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
  'Standard_GZRS'
  'Standard_RAGZRS'
])
param storageSku string = 'Standard_GZRS'

@description('Days a deleted or overwritten blob (soft delete, previous versions) and a deleted container can be restored.')
@minValue(7)
@maxValue(365)
param deleteRetentionDays int = 30

@secure()
@description('The Event Grid blob trigger\'s webhook (with its blobs_extension key): given, the BlobCreated subscription is deployed; empty, none (infra/scripts/create-eventgrid-subscription.sh deploys it after the code).')
param eventGridSubscriptionEndpoint string = ''

@description('Days the Log Analytics workspace keeps logs and telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Upper bound of Flex Consumption instances.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each Flex Consumption instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('E-mail addresses of lab informatics on call, who receive the Azure Monitor alerts (export late, send failures, poison entries, function failures). Given at deployment like the pseudonym key, never in a file of the repository.')
@minLength(1)
param alertEmailAddresses string[]

@secure()
@description('Key of the patient pseudonyms in logs (HMAC of the mrn). Pass the same value on every deployment: a new key gives every patient a new pseudonym.')
param pseudonymKey string

@description('Client id of the Entra ID app registration that App Service Authentication (Easy Auth) validates tokens for. Empty: Easy Auth is not configured and the inbox responses endpoint refuses every call.')
param entraClientId string = ''

@description('OpenID issuer of that registration\'s tenant; empty: the deployment tenant\'s v2.0 issuer.')
param entraOpenIdIssuer string = ''

@description('Audiences Easy Auth accepts; empty: api://{entraClientId}.')
param entraAllowedAudiences string[] = []

@description('App role of the registration a caller of POST /api/alerts/{alertId}/responses must hold.')
param inboxRequiredRole string = 'Alerts.Respond'

@description('Public URL of the CDS Hooks discovery endpoint as the EHR calls it (the audience base of its JWTs). Empty: the CDS Hooks service refuses every call.')
param cdsHooksBaseUrl string = ''

@description('The EHR\'s JWT issuer (iss) trusted by the CDS Hooks service. Empty: none.')
param cdsHooksIssuer string = ''

@description('That issuer\'s public JSON Web Key Set ({"keys":[...]}), inline.')
param cdsHooksJwksJson string = ''

@description('FHIR identifier system of the lab\'s MRN in Patient.identifier.')
param cdsHooksMrnIdentifierSystem string = ''

var token = uniqueString(resourceGroup().id, namePrefix)
var exportsContainerName = 'lab-exports'
var quarantineContainerName = 'lab-exports-quarantine'
var deadLetterContainerName = 'lab-exports-deadletter'
var deploymentContainerName = 'app-package'
var alertsTopicName = 'care-team-alerts'
var pseudonymKeySecretName = 'pseudonym-key'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-${namePrefix}-${token}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${namePrefix}-${token}'
    applicationInsightsName: 'appi-${namePrefix}-${token}'
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    workspaceName: monitoring.outputs.workspaceName
    location: location
    tags: tags
    namePrefix: namePrefix
    emailAddresses: alertEmailAddresses
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('st${namePrefix}${token}', 24)
    location: location
    tags: tags
    skuName: storageSku
    coolAfterDays: coolAfterDays
    deploymentContainerName: deploymentContainerName
    exportsContainerName: exportsContainerName
    quarantineContainerName: quarantineContainerName
    deadLetterContainerName: deadLetterContainerName
    deleteRetentionDays: deleteRetentionDays
    tableNames: [
      'timelineevents'
      'ingestionledger'
      'alertledger'
      'pendingrawfiles'
    ]
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: 'sb-${namePrefix}-${token}'
    location: location
    tags: tags
    topicName: alertsTopicName
    duplicateDetectionWindow: duplicateDetectionWindow
    alertTimeToLive: alertTimeToLive
    careTeams: careTeams
    escalationSubscriptionName: 'tumour-board-escalations'
    catchAllSubscriptionName: 'all-alerts'
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('kv-${namePrefix}-${token}', 24)
    location: location
    tags: tags
    pseudonymKeySecretName: pseudonymKeySecretName
    pseudonymKey: pseudonymKey
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.properties.principalId
    eventGridPrincipalId: eventGrid.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    topicName: serviceBus.outputs.topicName
    keyVaultName: keyVault.outputs.name
    pseudonymKeySecretName: keyVault.outputs.pseudonymKeySecretName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    planName: 'asp-${namePrefix}-${token}'
    appName: 'func-${namePrefix}-${token}'
    location: location
    tags: tags
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    exportsContainerName: exportsContainerName
    quarantineContainerName: quarantineContainerName
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    alertsTopicName: serviceBus.outputs.topicName
    keyVaultName: keyVault.outputs.name
    pseudonymKeySecretName: keyVault.outputs.pseudonymKeySecretName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    entraClientId: entraClientId
    entraOpenIdIssuer: entraOpenIdIssuer
    entraAllowedAudiences: entraAllowedAudiences
    inboxRequiredRole: inboxRequiredRole
    cdsHooksBaseUrl: cdsHooksBaseUrl
    cdsHooksIssuer: cdsHooksIssuer
    cdsHooksJwksJson: cdsHooksJwksJson
    cdsHooksMrnIdentifierSystem: cdsHooksMrnIdentifierSystem
  }
  // The host starts as soon as the app exists: its roles must be there first.
  dependsOn: [
    roles
  ]
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    name: 'evgt-${namePrefix}-${token}'
    location: location
    tags: tags
    storageAccountId: storage.outputs.id
  }
}

module eventGridSubscription 'modules/eventgrid-subscription.bicep' = if (!empty(eventGridSubscriptionEndpoint)) {
  name: 'eventgrid-subscription'
  params: {
    systemTopicName: eventGrid.outputs.name
    storageAccountId: storage.outputs.id
    exportsContainerName: exportsContainerName
    deadLetterContainerName: deadLetterContainerName
    endpoint: eventGridSubscriptionEndpoint
  }
  // Dead letters are written with the topic's identity: its role first.
  dependsOn: [
    roles
  ]
}

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output storageAccountName string = storage.outputs.name
output storageAccountId string = storage.outputs.id
output exportsContainerName string = exportsContainerName
output deadLetterContainerName string = deadLetterContainerName
output eventGridSystemTopicName string = eventGrid.outputs.name
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output alertsTopicName string = serviceBus.outputs.topicName
output careTeamSubscriptions string[] = serviceBus.outputs.subscriptionNames
output catchAllSubscription string = serviceBus.outputs.catchAllSubscriptionName
output escalationSubscription string = serviceBus.outputs.escalationSubscriptionName
output keyVaultName string = keyVault.outputs.name
output applicationInsightsName string = monitoring.outputs.applicationInsightsName
