"""The architecture numbers of the two pack sizes, equal to libs/diffusion's DIFFUSION_ARCHITECTURES (a jest
spec compares them), plus the token layout of the Representation Assembler."""

REGION_TOKEN_WIDTH = 8

ARCHITECTURES = {
    "tiny": {
        "unet": {"inChannels": 4, "outChannels": 4, "modelChannels": 32, "channelMult": [1, 2], "numResBlocks": 1, "attentionLevels": [0, 1], "numHeads": 2, "contextWidth": 64, "normGroups": 8},
        "vae": {"imageChannels": 3, "latentChannels": 4, "baseChannels": 16, "channelMult": [1, 1, 2, 2], "numResBlocks": 1, "normGroups": 8, "scalingFactor": 0.18215},
        "fors": {"contextWidth": 64, "latentChannels": 4, "referenceChannels": [16, 32], "referenceTokens": 4, "heads": 2, "mixerLayers": 1},
        "regionEncoder": {
            "clip": {"imageSize": 32, "patchSize": 8, "hiddenWidth": 32, "layers": 2, "heads": 2, "mlpWidth": 64, "activation": "quick_gelu"},
            "fpn": {"featureLayers": [1, 2], "width": 16, "outputWidth": REGION_TOKEN_WIDTH},
        },
    },
    "sd15": {
        "unet": {"inChannels": 4, "outChannels": 4, "modelChannels": 320, "channelMult": [1, 2, 4, 4], "numResBlocks": 2, "attentionLevels": [0, 1, 2], "numHeads": 8, "contextWidth": 768, "normGroups": 32},
        "vae": {"imageChannels": 3, "latentChannels": 4, "baseChannels": 128, "channelMult": [1, 2, 4, 4], "numResBlocks": 2, "normGroups": 32, "scalingFactor": 0.18215},
        "fors": {"contextWidth": 768, "latentChannels": 4, "referenceChannels": [128, 256, 512], "referenceTokens": 16, "heads": 8, "mixerLayers": 2},
        "regionEncoder": {
            "clip": {"imageSize": 224, "patchSize": 14, "hiddenWidth": 1024, "layers": 24, "heads": 16, "mlpWidth": 4096, "activation": "quick_gelu"},
            "fpn": {"featureLayers": [6, 12, 18, 24], "width": 256, "outputWidth": REGION_TOKEN_WIDTH},
        },
    },
}

# COMPONENT_NAMES of @facex/contracts, in layout order; the regions are the 8-wide slots.
COMPONENTS = ["identity", "eyebrows", "eyes", "nose", "lips", "skin", "ears", "hair", "background", "pose", "expression", "gaze", "lighting"]
REGIONS = ["eyebrows", "eyes", "nose", "lips", "skin", "ears", "hair", "background"]
FIXED_WIDTHS = {"pose": 3, "gaze": 8, "lighting": 27}
DEFAULT_IDENTITY_WIDTH = 256
# EXPRESSION_COMPONENTS of @facex/contracts.
DEFAULT_EXPRESSION_WIDTH = 16


def token_layout(identity_width, expression_width):
    """The Representation Assembler's layout: [{component, offset, width}] and the total width."""
    slots, offset = [], 0
    for component in COMPONENTS:
        if component in REGIONS:
            width = REGION_TOKEN_WIDTH
        elif component == "identity":
            width = identity_width
        elif component == "expression":
            width = expression_width
        else:
            width = FIXED_WIDTHS[component]
        slots.append({"component": component, "offset": offset, "width": width})
        offset += width
    return {"slots": slots, "totalWidth": offset}
