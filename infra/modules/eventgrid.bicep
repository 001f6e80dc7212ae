// The storage account's events, the source of the Event Grid blob trigger (Flex Consumption
// has no polling blob trigger). The BlobCreated subscription to the app's blobs-extension
// webhook (eventgrid-subscription.bicep) needs the blobs_extension system key in its URL, which
// exists only once the host has started with the blob trigger, and Event Grid validates the
// endpoint when the subscription is created: infra/scripts/create-eventgrid-subscription.sh
// deploys it after the code. The topic's own identity writes undeliverable events to the
// dead-letter container (shared keys are off on the account).

param name string

param location string

param tags { *: string }

param storageAccountId string

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: storageAccountId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = systemTopic.name
output principalId string = systemTopic.identity.principalId
