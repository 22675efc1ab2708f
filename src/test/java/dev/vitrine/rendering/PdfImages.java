package dev.vitrine.rendering;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/** The images a PDF holds, as its pages' image XObjects. */
public final class PdfImages {

	private PdfImages() {
	}

	/** Each image XObject of the document, as {@code WIDTHxHEIGHT} in pixels. */
	public static List<String> sizes(PDDocument document) throws IOException {
		List<String> sizes = new ArrayList<>();
		for (PDPage page : document.getPages()) {
			for (COSName name : page.getResources().getXObjectNames()) {
				if (page.getResources().getXObject(name) instanceof PDImageXObject image) {
					sizes.add(image.getWidth() + "x" + image.getHeight());
				}
			}
		}
		return sizes;
	}

}
