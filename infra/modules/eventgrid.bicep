// The storage account's events, the source of the Event Grid blob trigger (Flex Consumption
// has no polling blob trigger). The BlobCreated subscription to the app's blobs-extension
// webhook is created after the code is deployed, by infra/scripts/create-eventgrid-subscription.sh:
// its URL carries the blobs_extension system key, which exists only once the host has started
// with the blob trigger, and Event Grid validates the endpoint when the subscription is created.

param name string

param location string

param tags { *: string }

param storageAccountId string

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storageAccountId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = systemTopic.name
