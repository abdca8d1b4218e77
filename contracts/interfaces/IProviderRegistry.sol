// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IProviderRegistry
/// @notice What OfferBook and LeaseEscrow need from the provider registry.
interface IProviderRegistry {
    /// @notice A provider's standing. `None` means not registered (or fully withdrawn).
    enum ProviderStatus {
        None,
        Active,
        Unbonding,
        Jailed
    }

    /// @notice The provider's current status.
    function statusOf(address provider) external view returns (ProviderStatus);

    /// @notice The provider's attested capacity of `computeType`, in mNCU.
    function capacityOf(address provider, uint8 computeType) external view returns (uint64);

    /// @notice Takes up to `amount` of the provider's stake and sends it to `to`; only the escrow.
    /// @return slashed what was actually taken (capped at the remaining stake).
    function slash(address provider, uint256 amount, address to) external returns (uint256 slashed);
}
