// The Functions app on the Flex Consumption plan (.NET 10 isolated). Every connection is
// identity-based through the user-assigned identity: the app settings hold endpoints, the
// identity's client id and a Key Vault reference, never a key or a connection string.

param planName string

param appName string

param location string

param tags { *: string }

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (DefaultAzureCredential and the Functions extensions select it by this id).')
param identityClientId string

param storageAccountName string

@description('Container of the storage account the plan deploys the app package to.')
param deploymentContainerName string

param exportsContainerName string

param quarantineContainerName string

param serviceBusNamespaceName string

@description('The topic the app sends alerts to.')
param alertsTopicName string

param keyVaultName string

param pseudonymKeySecretName string

param applicationInsightsName string

@description('Upper bound of instances the plan scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Client id of the Entra ID app registration Easy Auth validates tokens for; empty: no Easy Auth (the inbox endpoint then refuses every call).')
param entraClientId string

@description('OpenID issuer of the registration\'s tenant; empty: the deployment tenant\'s v2.0 issuer.')
param entraOpenIdIssuer string

@description('Token audiences Easy Auth accepts; empty: api://{entraClientId}.')
param entraAllowedAudiences string[]

@description('App role a caller of the inbox responses endpoint must hold.')
param inboxRequiredRole string

@description('Public URL of the CDS Hooks discovery endpoint (audience base of the EHR\'s JWTs); empty: CDS Hooks refuses every call.')
param cdsHooksBaseUrl string

@description('The EHR\'s JWT issuer; empty: none trusted.')
param cdsHooksIssuer string

@description('The EHR\'s public JSON Web Key Set, inline (public keys: not a secret).')
param cdsHooksJwksJson string

@description('FHIR identifier system of the MRN.')
param cdsHooksMrnIdentifierSystem string

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName

  resource pseudonymKey 'secrets' existing = {
    name: pseudonymKeySecretName
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

var endpoints = storage.properties.primaryEndpoints

var openIdIssuer = empty(entraOpenIdIssuer) ? '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0' : entraOpenIdIssuer
var allowedAudiences = empty(entraAllowedAudiences) ? ['api://${entraClientId}'] : entraAllowedAudiences

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Event Grid delivers BlobCreated events to the blobs extension's webhook.
    publicNetworkAccess: 'Enabled'
    // Key Vault references resolve with this identity (the default would be a system identity).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        // The Functions host's own storage.
        {
          name: 'AzureWebJobsStorage__blobServiceUri'
          value: endpoints.blob
        }
        {
          name: 'AzureWebJobsStorage__queueServiceUri'
          value: endpoints.queue
        }
        {
          name: 'AzureWebJobsStorage__tableServiceUri'
          value: endpoints.table
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        // The blob trigger's connection (IngestLabExport, Connection = "LabExportsStorage"):
        // blob for the exports, queue for the trigger's poison queue; serviceUri is what the
        // app's own BlobServiceClient reads from the same section.
        {
          name: 'LabExportsStorage__serviceUri'
          value: endpoints.blob
        }
        {
          name: 'LabExportsStorage__blobServiceUri'
          value: endpoints.blob
        }
        {
          name: 'LabExportsStorage__queueServiceUri'
          value: endpoints.queue
        }
        {
          name: 'LabExportsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'LabExportsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'LabExports__Container'
          value: exportsContainerName
        }
        {
          name: 'LabExports__QuarantineContainer'
          value: quarantineContainerName
        }
        // The batch state tables.
        {
          name: 'StateStorage__tableServiceUri'
          value: endpoints.table
        }
        {
          name: 'StateStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'StateStorage__clientId'
          value: identityClientId
        }
        // The alerts topic.
        {
          name: 'ServiceBusConnection__fullyQualifiedNamespace'
          value: parseUri(serviceBus.properties.serviceBusEndpoint).host
        }
        {
          name: 'ServiceBusConnection__credential'
          value: 'managedidentity'
        }
        {
          name: 'ServiceBusConnection__clientId'
          value: identityClientId
        }
        {
          name: 'Alerts__EntityName'
          value: alertsTopicName
        }
        // The trigger pair of the blob ingestion: Flex Consumption has no polling blob trigger, so
        // the Event Grid one (IngestLabExport) runs and the polling one stays off.
        {
          name: 'AzureWebJobs.IngestLabExportPolling.Disabled'
          value: 'true'
        }
        // NightlySweep's NCRONTAB schedule, in UTC: after the labs' nightly exports have landed.
        {
          name: 'NightlySweepSchedule'
          value: '0 30 2 * * *'
        }
        // SendUnsentAlerts' schedule: alerts a failed send left behind go out within 15 minutes,
        // well inside the topic's duplicate detection window.
        {
          name: 'UnsentAlertsSchedule'
          value: '0 */15 * * * *'
        }
        // ExportWatchdogCheck's schedule: a late or bad lab export is told to the operations
        // subscription within 15 minutes of its deadline (ExportWatchdog__* settings, docs/operations.md).
        {
          name: 'ExportWatchdogSchedule'
          value: '0 */15 * * * *'
        }
        // The CDS Hooks service (docs/spec/cds-hooks.md): the EHR it trusts, checked on every
        // call; blank values trust nobody (every call 401).
        {
          name: 'CdsHooks__BaseUrl'
          value: cdsHooksBaseUrl
        }
        {
          name: 'CdsHooks__MrnIdentifierSystem'
          value: cdsHooksMrnIdentifierSystem
        }
        {
          name: 'CdsHooks__Issuers__0__Issuer'
          value: cdsHooksIssuer
        }
        {
          name: 'CdsHooks__Issuers__0__JwksJson'
          value: cdsHooksJwksJson
        }
        // The inbox responses endpoint: the app role Easy Auth's principal must carry. The
        // endpoint trusts the principal header only where App Service sets
        // WEBSITE_AUTH_ENABLED=True (the authsettingsV2 below); Inbox__TrustClientPrincipalHeader
        // is never set here.
        {
          name: 'Inbox__RequiredRole'
          value: inboxRequiredRole
        }
        // DefaultAzureCredential picks the user-assigned identity by this variable.
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        // The connection string names the component and its ingestion endpoint; with the
        // component's local auth off, ingestion needs the Entra token the authentication
        // string asks for.
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'Authorization=AAD;ClientId=${identityClientId}'
        }
        // Resolved by the platform with keyVaultReferenceIdentity; no version, so a rotated
        // key is picked up (which also changes every pseudonym: rotate deliberately).
        {
          name: 'Pseudonym__Key'
          value: '@Microsoft.KeyVault(SecretUri=${vault::pseudonymKey.properties.secretUri})'
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${endpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// App Service Authentication (Easy Auth) with Entra ID in front of the app: a request without a
// valid token of the registration is 401 before it reaches a function, and the platform forwards
// the caller as X-MS-CLIENT-PRINCIPAL. Excluded are the routes that authenticate otherwise: the
// CDS Hooks service (the EHR's signed JWT, checked by the function), the health probe and the
// blobs extension's Event Grid webhook (function and system keys). No token store: the app never
// calls anything on the user's behalf.
resource authSettings 'Microsoft.Web/sites/config@2024-11-01' = if (!empty(entraClientId)) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [
        '/api/cds-services'
        '/api/cds-services/lcnec-alk-screening'
        '/api/cds-services/lcnec-alk-screening/feedback'
        '/api/health'
        '/runtime/webhooks/blobs'
      ]
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          openIdIssuer: openIdIssuer
        }
        validation: {
          allowedAudiences: allowedAudiences
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
}

// No publishing user names and passwords: deployments authenticate with Entra ID.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
