// The pseudonym key (spec/alerts.md, PHI): logs refer to a patient by an HMAC of the mrn
// keyed with it. RBAC mode, so access is a role assignment on the secret, not an access policy.

@description('Key Vault name (3-24 letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(24)
param name string

param location string

param tags { *: string }

@description('Name of the secret that holds the pseudonym key.')
param pseudonymKeySecretName string

@secure()
@description('The pseudonym key. Keep it stable: a new key gives every patient a new pseudonym.')
param pseudonymKey string

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource pseudonymKeySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: pseudonymKeySecretName
  properties: {
    value: pseudonymKey
    contentType: 'text/plain'
    attributes: {
      enabled: true
    }
  }
}

output name string = vault.name
output pseudonymKeySecretName string = pseudonymKeySecret.name
