// BlobCreated events of the exports container, from the storage account's system topic, to
// the Event Grid blob trigger's webhook. Deployed by main.bicep when eventGridSubscriptionEndpoint
// is given, and by infra/scripts/create-eventgrid-subscription.sh on its own after the code is
// deployed (the endpoint carries the blobs_extension key, known only then): one definition.
// An event the webhook refuses is retried for up to 30 attempts within 24 hours, then written
// to the dead-letter container with the topic's identity instead of being dropped; the app's
// nightly sweep reads that container back.

@description('System topic of the storage account (eventgrid.bicep), with a system-assigned identity.')
param systemTopicName string

@description('The storage account holding the exports and the dead-letter container.')
param storageAccountId string

param exportsContainerName string

param deadLetterContainerName string

@secure()
@description('The webhook: https://<host>/runtime/webhooks/blobs?functionName=Host.Functions.IngestLabExport&code=<blobs_extension key>.')
param endpoint string

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'lab-exports-blob-created'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: endpoint
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${exportsContainerName}/'
    }
    eventDeliverySchema: 'EventGridSchema'
    // Event Grid's most: 30 attempts, over at most 24 hours; then the dead-letter container.
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storageAccountId
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

output name string = subscription.name
