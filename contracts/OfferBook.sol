// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IOfferBook} from "./interfaces/IOfferBook.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {ComputeUnits} from "./libraries/ComputeUnits.sol";

/// @title OfferBook
/// @notice Providers post graded, divisible offers of attested capacity. The LeaseEscrow reserves
/// capacity when it opens a lease and releases it when the lease settles or is reclaimed.
/// @dev Invariant: for every provider and type, `committedOf` = Σ capacity of its offers that are
/// live or still carry reserved capacity, and it never exceeds the attestation in force when each
/// offer was posted. Pause blocks postOffer and updatePrice; withdrawOffer, reserve/release stay open.
contract OfferBook is IOfferBook, AccessControl, Pausable {
    /// @notice An offer in storage: two slots of terms, then region and attributes.
    struct Offer {
        // slot 0
        address provider;
        uint32 maxDurationSec;
        uint40 expiresAt;
        uint8 computeType;
        uint8 grade;
        bool active;
        // slot 1
        uint64 capacityMilli;
        uint64 reservedMilli;
        uint96 pricePerNcuHour;
        uint16 uptimeBps;
        uint16 penaltyBps;
        // slots 2, 3
        bytes32 region;
        bytes32 attributesHash;
    }

    error OfferBookInvalidComputeType(uint8 computeType);
    error OfferBookZeroCapacity();
    error OfferBookGradeMismatch(uint8 grade, uint8 expected);
    error OfferBookInvalidPrice(uint256 price);
    error OfferBookInvalidDuration(uint32 maxDurationSec);
    error OfferBookInvalidBps(uint16 bps);
    error OfferBookInvalidExpiry(uint64 expiresAt);
    error OfferBookProviderNotActive(address provider);
    error OfferBookCapacityExceedsAttestation(uint8 computeType, uint256 committed, uint256 attested);
    error OfferBookNotOfferOwner(uint256 offerId, address caller);
    error OfferBookOfferNotActive(uint256 offerId);
    error OfferBookOfferExpired(uint256 offerId, uint64 expiresAt);
    error OfferBookCapacityExhausted(uint256 offerId, uint256 free, uint256 requested);
    error OfferBookOnlyEscrow(address caller);
    error OfferBookEscrowAlreadySet(address escrow);
    error OfferBookZeroAddress();
    error OfferBookLengthMismatch();

    /// @notice Emitted when an offer is posted.
    event OfferPosted(
        uint256 indexed offerId,
        address indexed provider,
        uint8 indexed computeType,
        uint8 grade,
        uint64 capacityMilli,
        uint256 pricePerNcuHour,
        uint32 maxDurationSec,
        uint16 uptimeBps,
        uint16 penaltyBps,
        bytes32 region,
        bytes32 attributesHash,
        uint64 expiresAt
    );
    /// @notice Emitted when a provider changes an offer's price (open leases keep theirs).
    event OfferPriceUpdated(uint256 indexed offerId, uint256 pricePerNcuHour);
    /// @notice Emitted when a provider withdraws an offer; `capacityInUse` stays committed until released.
    event OfferWithdrawn(uint256 indexed offerId, uint64 capacityInUse);
    /// @notice Emitted once, when the admin wires the escrow.
    event EscrowSet(address indexed escrow);

    /// @notice The provider registry (status and attested capacity).
    IProviderRegistry public immutable registry;
    /// @notice The LeaseEscrow: the only caller of reserve / release.
    address public escrow;
    /// @notice Number of offers ever posted; offer ids are 1..offerCount.
    uint256 public offerCount;

    mapping(uint256 offerId => Offer) private _offers;
    mapping(address provider => uint64[3]) private _committed;

    /// @param registry_ the ProviderRegistry.
    /// @param admin receives DEFAULT_ADMIN_ROLE.
    constructor(IProviderRegistry registry_, address admin) {
        if (address(registry_) == address(0) || admin == address(0)) revert OfferBookZeroAddress();
        registry = registry_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    modifier onlyEscrow() {
        if (msg.sender != escrow) revert OfferBookOnlyEscrow(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- admin

    /// @notice Wires the LeaseEscrow, once. Only DEFAULT_ADMIN_ROLE.
    /// Emits an {EscrowSet} event.
    function setEscrow(address escrow_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (escrow != address(0)) revert OfferBookEscrowAlreadySet(escrow);
        if (escrow_ == address(0)) revert OfferBookZeroAddress();
        escrow = escrow_;
        emit EscrowSet(escrow_);
    }

    /// @notice Pauses postOffer and updatePrice. Only DEFAULT_ADMIN_ROLE.
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

    /// @notice Posts an offer of `capacityMilli` mNCU of `computeType` in `grade` (which must equal
    /// gradeOf(capacityMilli)). The caller must be an Active provider, and its live offers of this
    /// type plus this one must fit in its attested capacity. Prices are token base units per NCU-hour
    /// (at most 2^96 − 1).
    /// Emits an {OfferPosted} event.
    /// @return offerId the new offer's id.
    function postOffer(
        uint8 computeType,
        uint8 grade,
        uint64 capacityMilli,
        uint256 pricePerNcuHour,
        uint32 maxDurationSec,
        uint16 uptimeBps,
        uint16 penaltyBps,
        bytes32 region,
        bytes32 attributesHash,
        uint64 expiresAt
    ) external whenNotPaused returns (uint256 offerId) {
        if (computeType >= ComputeUnits.COMPUTE_TYPE_COUNT) revert OfferBookInvalidComputeType(computeType);
        if (capacityMilli == 0) revert OfferBookZeroCapacity();
        uint8 expected = ComputeUnits.gradeOf(capacityMilli);
        if (grade != expected) revert OfferBookGradeMismatch(grade, expected);
        if (pricePerNcuHour == 0 || pricePerNcuHour > type(uint96).max) revert OfferBookInvalidPrice(pricePerNcuHour);
        if (maxDurationSec == 0) revert OfferBookInvalidDuration(maxDurationSec);
        if (uptimeBps > ComputeUnits.BPS) revert OfferBookInvalidBps(uptimeBps);
        if (penaltyBps > ComputeUnits.BPS) revert OfferBookInvalidBps(penaltyBps);
        if (expiresAt <= block.timestamp || expiresAt > type(uint40).max) revert OfferBookInvalidExpiry(expiresAt);
        if (registry.statusOf(msg.sender) != IProviderRegistry.ProviderStatus.Active) {
            revert OfferBookProviderNotActive(msg.sender);
        }
        uint256 committed = uint256(_committed[msg.sender][computeType]) + capacityMilli;
        uint256 attested = registry.capacityOf(msg.sender, computeType);
        if (committed > attested) revert OfferBookCapacityExceedsAttestation(computeType, committed, attested);
        _committed[msg.sender][computeType] = uint64(committed); // committed <= attested < 2^64

        offerId = ++offerCount;
        _offers[offerId] = Offer({
            provider: msg.sender,
            maxDurationSec: maxDurationSec,
            expiresAt: uint40(expiresAt),
            computeType: computeType,
            grade: grade,
            active: true,
            capacityMilli: capacityMilli,
            reservedMilli: 0,
            pricePerNcuHour: uint96(pricePerNcuHour),
            uptimeBps: uptimeBps,
            penaltyBps: penaltyBps,
            region: region,
            attributesHash: attributesHash
        });
        emit OfferPosted(
            offerId,
            msg.sender,
            computeType,
            grade,
            capacityMilli,
            pricePerNcuHour,
            maxDurationSec,
            uptimeBps,
            penaltyBps,
            region,
            attributesHash,
            expiresAt
        );
    }

    /// @notice Changes the price of the caller's live offer; leases already open keep their price.
    /// Emits an {OfferPriceUpdated} event.
    function updatePrice(uint256 offerId, uint256 pricePerNcuHour) external whenNotPaused {
        Offer storage o = _ownedActive(offerId);
        if (pricePerNcuHour == 0 || pricePerNcuHour > type(uint96).max) revert OfferBookInvalidPrice(pricePerNcuHour);
        o.pricePerNcuHour = uint96(pricePerNcuHour);
        emit OfferPriceUpdated(offerId, pricePerNcuHour);
    }

    /// @notice Withdraws the caller's offer: no new lease can use it; its free capacity is
    /// uncommitted now, the reserved part when its leases end. Open while paused.
    /// Emits an {OfferWithdrawn} event.
    function withdrawOffer(uint256 offerId) external {
        Offer storage o = _ownedActive(offerId);
        uint64 inUse = o.reservedMilli;
        unchecked {
            // reservedMilli <= capacityMilli, and capacityMilli is part of _committed.
            _committed[msg.sender][o.computeType] -= o.capacityMilli - inUse;
        }
        o.capacityMilli = inUse;
        o.active = false;
        emit OfferWithdrawn(offerId, inUse);
    }

    // ---------------------------------------------------------------- escrow

    /// @inheritdoc IOfferBook
    /// @dev Only the escrow.
    function reserve(uint256 offerId, uint64 milliNcu) external onlyEscrow returns (OfferTerms memory terms) {
        Offer storage o = _offers[offerId];
        if (!o.active) revert OfferBookOfferNotActive(offerId);
        if (o.expiresAt <= block.timestamp) revert OfferBookOfferExpired(offerId, o.expiresAt);
        uint256 reserved = uint256(o.reservedMilli) + milliNcu;
        if (reserved > o.capacityMilli) revert OfferBookCapacityExhausted(offerId, o.capacityMilli - o.reservedMilli, milliNcu);
        address provider = o.provider;
        if (registry.statusOf(provider) != IProviderRegistry.ProviderStatus.Active) revert OfferBookProviderNotActive(provider);
        o.reservedMilli = uint64(reserved); // reserved <= capacityMilli < 2^64
        terms = OfferTerms({
            provider: provider,
            computeType: o.computeType,
            grade: o.grade,
            pricePerNcuHour: o.pricePerNcuHour,
            maxDurationSec: o.maxDurationSec,
            uptimeBps: o.uptimeBps,
            penaltyBps: o.penaltyBps
        });
    }

    /// @inheritdoc IOfferBook
    /// @dev Only the escrow. On a withdrawn offer the released capacity also leaves the commitment.
    function release(uint256[] calldata offerIds, uint256[] calldata amounts) external onlyEscrow {
        uint256 n = offerIds.length;
        if (amounts.length != n) revert OfferBookLengthMismatch();
        for (uint256 i; i < n; ++i) {
            Offer storage o = _offers[offerIds[i]];
            uint64 amount = uint64(amounts[i]); // the escrow releases only what it reserved
            o.reservedMilli -= amount;
            if (!o.active) {
                o.capacityMilli -= amount;
                _committed[o.provider][o.computeType] -= amount;
            }
        }
    }

    // ---------------------------------------------------------------- views

    /// @notice The whole offer. An unknown id returns a zero record.
    function getOffer(uint256 offerId) external view returns (Offer memory) {
        return _offers[offerId];
    }

    /// @notice Capacity of the offer not yet reserved (0 when withdrawn or expired).
    function freeCapacityOf(uint256 offerId) external view returns (uint256) {
        Offer storage o = _offers[offerId];
        if (!o.active || o.expiresAt <= block.timestamp) return 0;
        return o.capacityMilli - o.reservedMilli;
    }

    /// @notice Σ capacity of the provider's offers of `computeType` that are live or still in use.
    function committedOf(address provider, uint8 computeType) external view returns (uint256) {
        if (computeType >= ComputeUnits.COMPUTE_TYPE_COUNT) return 0;
        return _committed[provider][computeType];
    }

    /// @notice The grade of `milliNcu` per docs/units-and-money.md (0 for 0).
    function gradeOf(uint256 milliNcu) external pure returns (uint8) {
        return ComputeUnits.gradeOf(milliNcu);
    }

    // ---------------------------------------------------------------- internals

    function _ownedActive(uint256 offerId) private view returns (Offer storage o) {
        o = _offers[offerId];
        if (o.provider != msg.sender) revert OfferBookNotOfferOwner(offerId, msg.sender);
        if (!o.active) revert OfferBookOfferNotActive(offerId);
    }
}
