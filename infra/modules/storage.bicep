// One account for the nightly exports, their quarantine, the Event Grid dead letters, the app's
// state tables, the Functions host (AzureWebJobsStorage) and the Flex Consumption deployment
// package. Entra ID only: shared keys are off, so no connection string can exist for it.
// The lab's export is the only copy of a night's results once the export job has delivered it,
// and the archive is what an audit replays: blobs are versioned and soft-deleted for 30 days
// (an overwritten or deleted export can be restored), on zone-redundant storage by default.

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

param location string

param tags { *: string }

@description('Replication: exports are the lab\'s only copy once the export job deletes its own, so zone-redundant (ZRS, GZRS) suits production.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
  'Standard_GZRS'
  'Standard_RAGZRS'
])
param skuName string

@description('Blobs under lab-exports/ move to the cool tier this many days after they were last modified.')
@minValue(1)
param coolAfterDays int

@description('Container the Flex Consumption plan deploys the app package to.')
param deploymentContainerName string

@description('Container the blob trigger watches.')
param exportsContainerName string

@description('Container unreadable files are copied to, beside their .error.json sidecar.')
param quarantineContainerName string

@description('Container Event Grid writes the BlobCreated events it could not deliver to (the sweep drains it).')
param deadLetterContainerName string

@description('Days a deleted or overwritten blob (its soft-deleted copy or previous version) and a deleted container can be restored.')
@minValue(7)
@maxValue(365)
param deleteRetentionDays int

@description('Tables of the batch state.')
param tableNames string[]

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Event Grid delivery and the Flex Consumption app reach the account over its public
    // endpoint; every request still needs an Entra token and a data role.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    // An overwritten export keeps its earlier bytes as a previous version; a deleted export
    // or container can be restored for deleteRetentionDays.
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: deleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: deleteRetentionDays
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [
  for containerName in [exportsContainerName, quarantineContainerName, deadLetterContainerName, deploymentContainerName]: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'lab-exports-to-cool'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${exportsContainerName}/'
              ]
            }
            actions: {
              baseBlob: {
                tierToCool: {
                  daysAfterModificationGreaterThan: coolAfterDays
                }
              }
            }
          }
        }
        // Versioning keeps every overwritten blob of the account (the host's receipts and timer
        // status, the app package too): previous versions go once they are as old as the soft
        // delete window, so what can be restored is the same for an overwrite and a delete.
        {
          name: 'previous-versions-expire'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: deleteRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
