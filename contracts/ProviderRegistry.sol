// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {ILeaseEscrow} from "./interfaces/ILeaseEscrow.sol";
import {ComputeUnits} from "./libraries/ComputeUnits.sol";

/// @title ProviderRegistry
/// @notice Providers stake the payment token, register, attest their measured capacity per compute
/// type, and unbond. Only the LeaseEscrow can slash a stake (SLA-breach penalties).
/// @dev Pause blocks register / addStake / attestCapacity / setMetadata; the exits
/// (requestUnbond, cancelUnbond, withdrawStake) and slash stay open.
contract ProviderRegistry is IProviderRegistry, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice A provider's record (stake and status in one slot).
    struct Provider {
        uint128 stake;
        uint64 unbondAt;
        ProviderStatus status;
        bytes32 attestationHash;
        string metadataUri;
    }

    error ProviderRegistryAlreadyRegistered(address provider);
    error ProviderRegistryNotRegistered(address provider);
    error ProviderRegistryStakeTooLow(uint256 stake, uint256 minStake);
    error ProviderRegistryZeroAmount();
    error ProviderRegistryInvalidComputeType(uint8 computeType);
    error ProviderRegistryNotUnbonding(address provider);
    error ProviderRegistryCannotUnbond(address provider, ProviderStatus status);
    error ProviderRegistryUnbondingNotElapsed(uint64 unbondAt);
    error ProviderRegistryOpenLeases(uint256 openLeases);
    error ProviderRegistryOnlyEscrow(address caller);
    error ProviderRegistryEscrowAlreadySet(address escrow);
    error ProviderRegistryZeroAddress();
    error ProviderRegistryPeriodTooLong(uint64 period, uint64 maxPeriod);

    /// @notice Emitted when a provider registers with an initial stake.
    event ProviderRegistered(address indexed provider, uint256 stake, string metadataUri, bytes32 attestationHash);
    /// @notice Emitted when a provider changes its metadata or attestation hash.
    event ProviderMetadataUpdated(address indexed provider, string metadataUri, bytes32 attestationHash);
    /// @notice Emitted when a provider records its measured capacity of one compute type.
    event CapacityAttested(address indexed provider, uint8 indexed computeType, uint64 milliNcu, bytes32 attestationHash);
    /// @notice Emitted when stake is added.
    event StakeAdded(address indexed provider, uint256 amount, uint256 newStake);
    /// @notice Emitted when a provider's status changes.
    event ProviderStatusChanged(address indexed provider, ProviderStatus status);
    /// @notice Emitted when a provider starts unbonding.
    event UnbondRequested(address indexed provider, uint64 unbondAt);
    /// @notice Emitted when a provider withdraws its whole stake and leaves.
    event StakeWithdrawn(address indexed provider, uint256 amount);
    /// @notice Emitted when the escrow slashes a provider.
    event ProviderSlashed(address indexed provider, uint256 amount, address indexed to, uint256 remainingStake);
    /// @notice Emitted once, when the admin wires the escrow.
    event EscrowSet(address indexed escrow);

    /// @notice Upper bound of `unbondingPeriod`: 10 years.
    uint64 public constant MAX_UNBONDING_PERIOD = 3650 days;
    /// @notice The staking token (the market's payment token).
    IERC20 public immutable token;
    /// @notice Minimum stake to be Active.
    uint256 public immutable minStake;
    /// @notice Seconds between requestUnbond and withdrawStake.
    uint64 public immutable unbondingPeriod;
    /// @notice The LeaseEscrow: the only slasher, and the source of open-lease counts.
    address public escrow;

    mapping(address provider => Provider) private _providers;
    mapping(address provider => uint64[3]) private _capacity;

    /// @param token_ the payment / staking token.
    /// @param minStake_ minimum stake in token base units.
    /// @param unbondingPeriod_ seconds a provider waits between requestUnbond and withdrawStake.
    /// @param admin receives DEFAULT_ADMIN_ROLE.
    constructor(IERC20 token_, uint256 minStake_, uint64 unbondingPeriod_, address admin) {
        if (address(token_) == address(0) || admin == address(0)) revert ProviderRegistryZeroAddress();
        // Bounded so `now + unbondingPeriod` can never overflow and lock providers in.
        if (unbondingPeriod_ > MAX_UNBONDING_PERIOD) revert ProviderRegistryPeriodTooLong(unbondingPeriod_, MAX_UNBONDING_PERIOD);
        token = token_;
        minStake = minStake_;
        unbondingPeriod = unbondingPeriod_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    modifier onlyEscrow() {
        if (msg.sender != escrow) revert ProviderRegistryOnlyEscrow(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- admin

    /// @notice Wires the LeaseEscrow, once. Only DEFAULT_ADMIN_ROLE.
    /// Emits an {EscrowSet} event.
    function setEscrow(address escrow_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (escrow != address(0)) revert ProviderRegistryEscrowAlreadySet(escrow);
        if (escrow_ == address(0)) revert ProviderRegistryZeroAddress();
        escrow = escrow_;
        emit EscrowSet(escrow_);
    }

    /// @notice Pauses registration, staking and attestation. Only DEFAULT_ADMIN_ROLE.
    /// Emits a {Paused} event.
    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    /// @notice Lifts the pause. Only DEFAULT_ADMIN_ROLE.
    /// Emits an {Unpaused} event.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------- provider

    /// @notice Registers the caller as a provider, pulling `stakeAmount` (≥ minStake) with transferFrom.
    /// Emits a {ProviderRegistered} event.
    function register(string calldata metadataUri, bytes32 attestationHash, uint256 stakeAmount)
        external
        whenNotPaused
        nonReentrant
    {
        _register(metadataUri, attestationHash, stakeAmount);
    }

    /// @notice Like {register}, approving the stake with an EIP-2612 permit in the same transaction.
    /// A permit that fails (e.g. front-run) is ignored when the allowance already suffices.
    /// Emits a {ProviderRegistered} event.
    function registerWithPermit(
        string calldata metadataUri,
        bytes32 attestationHash,
        uint256 stakeAmount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused nonReentrant {
        _permit(stakeAmount, deadline, v, r, s);
        _register(metadataUri, attestationHash, stakeAmount);
    }

    /// @notice Replaces the caller's metadata URI and attestation hash.
    /// Emits a {ProviderMetadataUpdated} event.
    function setMetadata(string calldata metadataUri, bytes32 attestationHash) external whenNotPaused {
        Provider storage p = _registered(msg.sender);
        p.metadataUri = metadataUri;
        p.attestationHash = attestationHash;
        emit ProviderMetadataUpdated(msg.sender, metadataUri, attestationHash);
    }

    /// @notice Records the caller's measured capacity of `computeType` (0 Logical, 1 Parallel, 2 Neural)
    /// in mNCU. Lowering it does not cancel live offers; new offers must fit under it.
    /// Emits a {CapacityAttested} event.
    function attestCapacity(uint8 computeType, uint64 milliNcu, bytes32 attestationHash) external whenNotPaused {
        if (computeType >= ComputeUnits.COMPUTE_TYPE_COUNT) revert ProviderRegistryInvalidComputeType(computeType);
        _registered(msg.sender);
        _capacity[msg.sender][computeType] = milliNcu;
        emit CapacityAttested(msg.sender, computeType, milliNcu, attestationHash);
    }

    /// @notice Adds `amount` to the caller's stake (transferFrom). A Jailed provider whose stake
    /// reaches minStake becomes Active again.
    /// Emits a {StakeAdded} event, and a {ProviderStatusChanged} event when it leaves Jailed.
    function addStake(uint256 amount) external whenNotPaused nonReentrant {
        if (amount == 0) revert ProviderRegistryZeroAmount();
        Provider storage p = _registered(msg.sender);
        uint256 newStake = p.stake + amount;
        p.stake = SafeCast.toUint128(newStake);
        if (p.status == ProviderStatus.Jailed && newStake >= minStake) _setStatus(p, msg.sender, ProviderStatus.Active);
        emit StakeAdded(msg.sender, amount, newStake);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Starts unbonding: the provider takes no new leases and may withdraw its stake
    /// after `unbondingPeriod`, once it has no open lease.
    /// Emits {UnbondRequested} and {ProviderStatusChanged} events.
    function requestUnbond() external {
        Provider storage p = _providers[msg.sender];
        ProviderStatus st = p.status;
        if (st != ProviderStatus.Active && st != ProviderStatus.Jailed) revert ProviderRegistryCannotUnbond(msg.sender, st);
        uint64 unbondAt = uint64(block.timestamp) + unbondingPeriod;
        p.unbondAt = unbondAt;
        _setStatus(p, msg.sender, ProviderStatus.Unbonding);
        emit UnbondRequested(msg.sender, unbondAt);
    }

    /// @notice Stops unbonding: back to Active (or Jailed if the stake is below minStake).
    /// Emits a {ProviderStatusChanged} event.
    function cancelUnbond() external {
        Provider storage p = _providers[msg.sender];
        if (p.status != ProviderStatus.Unbonding) revert ProviderRegistryNotUnbonding(msg.sender);
        p.unbondAt = 0;
        _setStatus(p, msg.sender, p.stake >= minStake ? ProviderStatus.Active : ProviderStatus.Jailed);
    }

    /// @notice Withdraws the whole stake after the unbonding period, with no open lease, and
    /// deregisters the caller (status None, attestations cleared). Open while paused.
    /// Emits {StakeWithdrawn} and {ProviderStatusChanged} events.
    function withdrawStake() external nonReentrant {
        Provider storage p = _providers[msg.sender];
        if (p.status != ProviderStatus.Unbonding) revert ProviderRegistryNotUnbonding(msg.sender);
        if (block.timestamp < p.unbondAt) revert ProviderRegistryUnbondingNotElapsed(p.unbondAt);
        uint256 open = ILeaseEscrow(escrow).openLeaseCount(msg.sender);
        if (open != 0) revert ProviderRegistryOpenLeases(open);
        uint256 amount = p.stake;
        delete _providers[msg.sender];
        delete _capacity[msg.sender];
        emit StakeWithdrawn(msg.sender, amount);
        emit ProviderStatusChanged(msg.sender, ProviderStatus.None);
        if (amount != 0) token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- escrow

    /// @inheritdoc IProviderRegistry
    /// @dev Only the escrow. An Active provider left below minStake becomes Jailed.
    /// Emits a {ProviderSlashed} event (and {ProviderStatusChanged} when jailed).
    function slash(address provider, uint256 amount, address to) external onlyEscrow nonReentrant returns (uint256 slashed) {
        Provider storage p = _providers[provider];
        uint256 stake = p.stake;
        slashed = amount < stake ? amount : stake;
        if (slashed == 0) return 0;
        unchecked {
            // slashed <= stake.
            stake -= slashed;
        }
        p.stake = uint128(stake);
        if (p.status == ProviderStatus.Active && stake < minStake) _setStatus(p, provider, ProviderStatus.Jailed);
        emit ProviderSlashed(provider, slashed, to, stake);
        token.safeTransfer(to, slashed);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IProviderRegistry
    function statusOf(address provider) external view returns (ProviderStatus) {
        return _providers[provider].status;
    }

    /// @inheritdoc IProviderRegistry
    function capacityOf(address provider, uint8 computeType) external view returns (uint64) {
        if (computeType >= ComputeUnits.COMPUTE_TYPE_COUNT) return 0;
        return _capacity[provider][computeType];
    }

    /// @notice The provider's stake in token base units.
    function stakeOf(address provider) external view returns (uint256) {
        return _providers[provider].stake;
    }

    /// @notice The provider's whole record.
    function getProvider(address provider) external view returns (Provider memory) {
        return _providers[provider];
    }

    /// @notice The provider's attested capacities, indexed by compute type.
    function capacitiesOf(address provider) external view returns (uint64[3] memory) {
        return _capacity[provider];
    }

    // ---------------------------------------------------------------- internals

    function _register(string calldata metadataUri, bytes32 attestationHash, uint256 stakeAmount) private {
        Provider storage p = _providers[msg.sender];
        if (p.status != ProviderStatus.None) revert ProviderRegistryAlreadyRegistered(msg.sender);
        if (stakeAmount < minStake || stakeAmount == 0) revert ProviderRegistryStakeTooLow(stakeAmount, minStake);
        p.stake = SafeCast.toUint128(stakeAmount);
        p.status = ProviderStatus.Active;
        p.attestationHash = attestationHash;
        p.metadataUri = metadataUri;
        emit ProviderRegistered(msg.sender, stakeAmount, metadataUri, attestationHash);
        emit ProviderStatusChanged(msg.sender, ProviderStatus.Active);
        token.safeTransferFrom(msg.sender, address(this), stakeAmount);
    }

    function _permit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) private {
        try IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
    }

    function _registered(address provider) private view returns (Provider storage p) {
        p = _providers[provider];
        if (p.status == ProviderStatus.None) revert ProviderRegistryNotRegistered(provider);
    }

    function _setStatus(Provider storage p, address provider, ProviderStatus status) private {
        p.status = status;
        emit ProviderStatusChanged(provider, status);
    }
}
